-- The audit log names its objects (docs/operations.md, "The audit log"): the object's display
-- name as of the change, recorded by its writer, so an entry reads "flow etl" after the flow
-- is renamed or deleted. Rows written before this have none; the console shows type and id.
ALTER TABLE "audit_event" ADD COLUMN "entity_name" TEXT;

-- The filters of GET /api/audit, each read newest first within an org (or, for one object,
-- across its history): who, what, and which object.
CREATE INDEX "audit_event_org_id_actor_id_idx" ON "audit_event"("org_id", "actor", "id");
CREATE INDEX "audit_event_org_id_action_id_idx" ON "audit_event"("org_id", "action", "id");
CREATE INDEX "audit_event_entity_type_entity_id_id_idx" ON "audit_event"("entity_type", "entity_id", "id");
