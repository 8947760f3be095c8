-- Slotwise initial schema. Written by hand (Prisma's schema engine cannot be downloaded
-- here) in the shape `prisma migrate diff` produces, plus what Prisma cannot express:
-- CHECK constraints for values that must never be invalid and partial indexes for the
-- dispatcher's hot queries.

-- CreateEnum
CREATE TYPE "execution_state" AS ENUM ('QUEUED', 'RUNNING', 'PAUSED', 'SUCCESS', 'FAILED', 'CANCELLED', 'KILLED');
CREATE TYPE "execution_kind" AS ENUM ('job', 'workflow', 'access_request');
CREATE TYPE "flow_behavior" AS ENUM ('QUEUE', 'CANCEL', 'FAIL');
CREATE TYPE "org_role" AS ENUM ('ADMIN', 'MEMBER');
CREATE TYPE "token_kind" AS ENUM ('PLATFORM_ADMIN', 'USER', 'WORKER');

-- CreateTable
CREATE TABLE "platform_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "global_capacity" INTEGER NOT NULL DEFAULT 0,
    "default_project_concurrency" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "platform_settings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "platform_settings_single_row" CHECK ("id" = 1),
    CONSTRAINT "platform_settings_global_capacity_check" CHECK ("global_capacity" >= 0),
    CONSTRAINT "platform_settings_default_project_concurrency_check" CHECK ("default_project_concurrency" >= 0)
);

CREATE TABLE "organization" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "max_concurrency" INTEGER NOT NULL DEFAULT 0,
    "jobs" INTEGER NOT NULL DEFAULT 1,
    "workflows" INTEGER NOT NULL DEFAULT 1,
    "access_requests" INTEGER NOT NULL DEFAULT 1,
    "max_paused_slots" INTEGER NOT NULL DEFAULT 0,
    "first_dispatch_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "organization_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "organization_weight_check" CHECK ("weight" >= 1),
    CONSTRAINT "organization_max_concurrency_check" CHECK ("max_concurrency" >= 0),
    CONSTRAINT "organization_jobs_check" CHECK ("jobs" >= 1),
    CONSTRAINT "organization_workflows_check" CHECK ("workflows" >= 1),
    CONSTRAINT "organization_access_requests_check" CHECK ("access_requests" >= 1),
    CONSTRAINT "organization_max_paused_slots_check" CHECK ("max_paused_slots" >= 0)
);

CREATE TABLE "project" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "external_id" TEXT,
    "max_concurrent_jobs" INTEGER,
    "pool_id" UUID,
    "default_queue_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "project_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "project_max_concurrent_jobs_check" CHECK ("max_concurrent_jobs" IS NULL OR "max_concurrent_jobs" >= 0)
);

CREATE TABLE "concurrency_pool" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "limit" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "concurrency_pool_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "concurrency_pool_limit_check" CHECK ("limit" >= 1)
);

CREATE TABLE "queue" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "concurrency" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "queue_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "queue_concurrency_check" CHECK ("concurrency" >= 0)
);

CREATE TABLE "flow" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "concurrency_limit" INTEGER,
    "concurrency_behavior" "flow_behavior" NOT NULL DEFAULT 'QUEUE',
    "default_queue_id" UUID,
    "child_concurrency" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "flow_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "flow_concurrency_limit_check" CHECK ("concurrency_limit" IS NULL OR "concurrency_limit" >= 1),
    CONSTRAINT "flow_child_concurrency_check" CHECK ("child_concurrency" IS NULL OR "child_concurrency" >= 1)
);

CREATE TABLE "trigger" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "flow_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'schedule',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "trigger_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "execution" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "seq" BIGSERIAL NOT NULL,
    "org_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "flow_id" UUID,
    "parent_id" UUID,
    "root_id" UUID,
    "depth" INTEGER NOT NULL DEFAULT 0,
    "kind" "execution_kind" NOT NULL,
    "queue_id" UUID NOT NULL,
    "lane_id" BIGINT,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "concurrency" INTEGER,
    "trigger_id" UUID,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "state" "execution_state" NOT NULL DEFAULT 'QUEUED',
    "holds_slot" BOOLEAN NOT NULL DEFAULT false,
    "resume_first" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 3,
    "lease_token" INTEGER NOT NULL DEFAULT 0,
    "lease_worker_id" UUID,
    "lease_expires_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "result" JSONB,
    "submitted_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "paused_at" TIMESTAMPTZ(6), -- microseconds: max_paused_slots ranks by pause time
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "execution_pkey" PRIMARY KEY ("id"),
    -- Nesting: controller -> pipeline -> operation, and only top-level runs lack a parent.
    CONSTRAINT "execution_depth_check" CHECK ("depth" BETWEEN 0 AND 2),
    CONSTRAINT "execution_parent_depth_check" CHECK (("parent_id" IS NULL) = ("depth" = 0)),
    CONSTRAINT "execution_root_check" CHECK (("root_id" IS NULL) = ("parent_id" IS NULL)),
    -- A slot is held exactly while the execution runs (or is paused beyond max_paused_slots):
    -- no state can leave a slot occupied by an execution that no longer runs.
    CONSTRAINT "execution_slot_state_check" CHECK (NOT "holds_slot" OR "state" IN ('RUNNING', 'PAUSED')),
    CONSTRAINT "execution_running_holds_slot_check" CHECK ("state" <> 'RUNNING' OR "holds_slot"),
    CONSTRAINT "execution_queued_lane_check" CHECK ("state" <> 'QUEUED' OR "lane_id" IS NOT NULL),
    CONSTRAINT "execution_attempts_check" CHECK ("attempts" >= 0 AND "max_attempts" >= 1),
    CONSTRAINT "execution_concurrency_check" CHECK ("concurrency" IS NULL OR "concurrency" >= 1)
);

CREATE TABLE "dispatch_lane" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "org_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "flow_id" UUID,
    "queue_id" UUID NOT NULL,
    "parent_id" UUID,
    "root_id" UUID,
    "kind" "execution_kind" NOT NULL,
    "queued" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "dispatch_lane_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dispatch_lane_queued_check" CHECK ("queued" >= 0)
);

CREATE TABLE "execution_transition" (
    "id" BIGSERIAL NOT NULL,
    "execution_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "from_state" "execution_state",
    "to_state" "execution_state" NOT NULL,
    "holds_slot" BOOLEAN NOT NULL,
    "reason" TEXT,
    "actor" TEXT,
    "worker_id" UUID,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "execution_transition_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "worker" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "org_id" UUID,
    "queues" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "token_id" UUID,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "worker_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "concurrency_sample" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "org_id" UUID NOT NULL,
    "flow_id" UUID,
    "in_flight" INTEGER NOT NULL,
    "queued" INTEGER NOT NULL,
    CONSTRAINT "concurrency_sample_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "org_id" UUID,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "email_verified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "platform_admin" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "ip_address" TEXT,
    "user_agent" TEXT,
    "user_id" TEXT NOT NULL,
    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "account" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "access_token" TEXT,
    "refresh_token" TEXT,
    "id_token" TEXT,
    "access_token_expires_at" TIMESTAMPTZ(3),
    "refresh_token_expires_at" TIMESTAMPTZ(3),
    "scope" TEXT,
    "password" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "verification" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "verification_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "membership" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT NOT NULL,
    "org_id" UUID NOT NULL,
    "role" "org_role" NOT NULL DEFAULT 'MEMBER',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "membership_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "api_token" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "kind" "token_kind" NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "user_id" TEXT,
    "org_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "api_token_user_check" CHECK ("kind" <> 'USER' OR "user_id" IS NOT NULL)
);

-- CreateIndex
CREATE UNIQUE INDEX "organization_slug_key" ON "organization"("slug");
CREATE INDEX "project_pool_id_idx" ON "project"("pool_id");
CREATE UNIQUE INDEX "project_org_id_name_key" ON "project"("org_id", "name");
CREATE UNIQUE INDEX "project_org_id_external_id_key" ON "project"("org_id", "external_id");
CREATE UNIQUE INDEX "concurrency_pool_org_id_key_key" ON "concurrency_pool"("org_id", "key");
CREATE UNIQUE INDEX "queue_org_id_name_key" ON "queue"("org_id", "name");
CREATE INDEX "flow_org_id_idx" ON "flow"("org_id");
CREATE UNIQUE INDEX "flow_project_id_name_key" ON "flow"("project_id", "name");
CREATE UNIQUE INDEX "trigger_flow_id_name_key" ON "trigger"("flow_id", "name");
CREATE INDEX "execution_org_id_state_created_at_idx" ON "execution"("org_id", "state", "created_at");
CREATE INDEX "execution_flow_id_state_idx" ON "execution"("flow_id", "state");
CREATE UNIQUE INDEX "dispatch_lane_key_key" ON "dispatch_lane"("key");
CREATE INDEX "execution_transition_execution_id_id_idx" ON "execution_transition"("execution_id", "id");
CREATE INDEX "execution_transition_org_id_id_idx" ON "execution_transition"("org_id", "id");
CREATE INDEX "worker_last_seen_at_idx" ON "worker"("last_seen_at");
CREATE INDEX "concurrency_sample_org_id_at_idx" ON "concurrency_sample"("org_id", "at");
CREATE INDEX "concurrency_sample_flow_id_at_idx" ON "concurrency_sample"("flow_id", "at");
CREATE INDEX "concurrency_sample_at_idx" ON "concurrency_sample"("at");
CREATE INDEX "audit_event_org_id_at_idx" ON "audit_event"("org_id", "at");
CREATE INDEX "audit_event_at_idx" ON "audit_event"("at");
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");
CREATE INDEX "session_user_id_idx" ON "session"("user_id");
CREATE UNIQUE INDEX "session_token_key" ON "session"("token");
CREATE INDEX "account_user_id_idx" ON "account"("user_id");
CREATE INDEX "verification_identifier_idx" ON "verification"("identifier");
CREATE INDEX "membership_org_id_idx" ON "membership"("org_id");
CREATE UNIQUE INDEX "membership_user_id_org_id_key" ON "membership"("user_id", "org_id");
CREATE UNIQUE INDEX "api_token_hash_key" ON "api_token"("hash");

-- Partial indexes (not expressible in schema.prisma). Every index on execution costs a write
-- on each state change, so the ones below only hold the rows they are for.
-- Nested executions, for kill cascades and descendant lookups (most executions are top-level).
CREATE INDEX "execution_parent_id_idx" ON "execution"("parent_id") WHERE "parent_id" IS NOT NULL;
CREATE INDEX "execution_root_id_idx" ON "execution"("root_id") WHERE "root_id" IS NOT NULL;
-- Lane heads in dispatch order: resumed first, then execution priority, then age.
CREATE INDEX "execution_queued_lane_idx" ON "execution"("lane_id", "resume_first" DESC, "priority" DESC, "seq") WHERE "state" = 'QUEUED';
-- In-flight recounts touch only executions that hold a slot.
CREATE INDEX "execution_in_flight_idx" ON "execution"("org_id") WHERE "holds_slot";
-- Lease expiry sweep.
CREATE INDEX "execution_lease_expiry_idx" ON "execution"("lease_expires_at") WHERE "state" = 'RUNNING';
-- max_paused_slots ranks an org's paused executions by when they paused.
CREATE INDEX "execution_paused_idx" ON "execution"("org_id", "paused_at", "seq") WHERE "state" = 'PAUSED';
-- Trigger lock: at most one non-terminal execution per trigger, enforced by the database.
CREATE UNIQUE INDEX "execution_trigger_lock_idx" ON "execution"("trigger_id") WHERE "trigger_id" IS NOT NULL AND "state" IN ('QUEUED', 'RUNNING', 'PAUSED');
CREATE INDEX "dispatch_lane_active_idx" ON "dispatch_lane"("org_id") WHERE "queued" > 0;

-- AddForeignKey
ALTER TABLE "project" ADD CONSTRAINT "project_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "project" ADD CONSTRAINT "project_pool_id_fkey" FOREIGN KEY ("pool_id") REFERENCES "concurrency_pool"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "project" ADD CONSTRAINT "project_default_queue_id_fkey" FOREIGN KEY ("default_queue_id") REFERENCES "queue"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "concurrency_pool" ADD CONSTRAINT "concurrency_pool_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "queue" ADD CONSTRAINT "queue_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "flow" ADD CONSTRAINT "flow_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "flow" ADD CONSTRAINT "flow_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "flow" ADD CONSTRAINT "flow_default_queue_id_fkey" FOREIGN KEY ("default_queue_id") REFERENCES "queue"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "trigger" ADD CONSTRAINT "trigger_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "trigger" ADD CONSTRAINT "trigger_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "execution" ADD CONSTRAINT "execution_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "execution" ADD CONSTRAINT "execution_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "execution" ADD CONSTRAINT "execution_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "execution" ADD CONSTRAINT "execution_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "execution" ADD CONSTRAINT "execution_queue_id_fkey" FOREIGN KEY ("queue_id") REFERENCES "queue"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "execution" ADD CONSTRAINT "execution_lane_id_fkey" FOREIGN KEY ("lane_id") REFERENCES "dispatch_lane"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "execution" ADD CONSTRAINT "execution_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "trigger"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "execution" ADD CONSTRAINT "execution_lease_worker_id_fkey" FOREIGN KEY ("lease_worker_id") REFERENCES "worker"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "dispatch_lane" ADD CONSTRAINT "dispatch_lane_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dispatch_lane" ADD CONSTRAINT "dispatch_lane_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dispatch_lane" ADD CONSTRAINT "dispatch_lane_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dispatch_lane" ADD CONSTRAINT "dispatch_lane_queue_id_fkey" FOREIGN KEY ("queue_id") REFERENCES "queue"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "execution_transition" ADD CONSTRAINT "execution_transition_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "worker" ADD CONSTRAINT "worker_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "worker" ADD CONSTRAINT "worker_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "api_token"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "account" ADD CONSTRAINT "account_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "membership" ADD CONSTRAINT "membership_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "platform_settings" ("id") VALUES (1);
