-- Break-glass "run now" (docs/lifecycle.md, "Run now"): an org or platform admin starts a
-- QUEUED execution at the next claim of a worker serving its queue, ignoring caps, with a
-- reason. It counts as in flight; at most max_forced_per_org forced executions are live per org.
ALTER TABLE "execution" ADD COLUMN "forced_at" TIMESTAMPTZ(6),
    ADD COLUMN "forced_by" TEXT,
    ADD COLUMN "forced_reason" TEXT,
    ADD CONSTRAINT "execution_forced_check" CHECK (("forced_at" IS NULL) = ("forced_by" IS NULL) AND ("forced_at" IS NULL) = ("forced_reason" IS NULL));
-- Claims read the forced executions still waiting for a worker; the bound counts the live ones.
CREATE INDEX "execution_forced_idx" ON "execution"("org_id") WHERE "forced_at" IS NOT NULL AND "state" IN ('QUEUED', 'RUNNING', 'PAUSED');

ALTER TABLE "platform_settings" ADD COLUMN "max_forced_per_org" INTEGER NOT NULL DEFAULT 2,
    ADD CONSTRAINT "platform_settings_max_forced_per_org_check" CHECK ("max_forced_per_org" >= 0);
