-- Pauses owned by the platform (docs/lifecycle.md, "Pauses"): a worker pauses an execution as
-- a delay (resume at a time) or a wait for approval (optionally timing out, then failing or
-- resuming). The platform resumes it on time; an org admin can approve it; the worker that
-- paused it may die meanwhile without leaving its slot to nobody.
ALTER TABLE "execution" ADD COLUMN "pause_kind" TEXT,
    ADD COLUMN "pause_until" TIMESTAMPTZ(3),
    ADD COLUMN "pause_on_due" TEXT,
    ADD CONSTRAINT "execution_pause_kind_check" CHECK ("pause_kind" IN ('delay', 'approval')),
    ADD CONSTRAINT "execution_pause_on_due_check" CHECK ("pause_on_due" IN ('resume', 'fail')),
    ADD CONSTRAINT "execution_pause_fields_check" CHECK (("pause_kind" IS NULL OR "state" = 'PAUSED') AND (("pause_until" IS NULL) = ("pause_on_due" IS NULL)) AND ("pause_until" IS NULL OR "pause_kind" IS NOT NULL));

-- A resumed execution that kept its slot is QUEUED on its way to the next claim of a worker
-- serving its queue, still holding the slot (no other execution can take it). It is not
-- counted in its lane: claims start it before the fair pick.
ALTER TABLE "execution" DROP CONSTRAINT "execution_slot_state_check",
    ADD CONSTRAINT "execution_slot_state_check" CHECK (NOT "holds_slot" OR "state" IN ('RUNNING', 'PAUSED') OR ("state" = 'QUEUED' AND "resume_first"));

-- The next pause to come due (claims sleep until it, like a scheduled start) and the resumed
-- executions holding their slots (read by every claim: usually none, an empty index).
CREATE INDEX "execution_pause_due_idx" ON "execution"("pause_until") WHERE "state" = 'PAUSED' AND "pause_until" IS NOT NULL;
CREATE INDEX "execution_held_queued_idx" ON "execution"("seq") WHERE "state" = 'QUEUED' AND "holds_slot";
