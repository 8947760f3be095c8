-- Retries with backoff (docs/lifecycle.md, "Retries"). A flow's retry policy is the default of
-- its submissions; a submission may bring its own. The execution keeps the policy it was
-- submitted with (with max_attempts, which already bounds lease expiries): with one, a FAILED
-- outcome with attempts left waits outside its lane (waiting_lane_id, start_after) for its
-- backoff, like delayed start; without one, FAILED is final.
ALTER TABLE "flow" ADD COLUMN "retry_max_attempts" INTEGER,
    ADD COLUMN "retry_initial_ms" INTEGER,
    ADD COLUMN "retry_factor" DOUBLE PRECISION,
    ADD COLUMN "retry_max_ms" INTEGER,
    ADD COLUMN "retry_jitter" DOUBLE PRECISION,
    ADD CONSTRAINT "flow_retry_check" CHECK (
      ("retry_max_attempts" IS NULL AND "retry_initial_ms" IS NULL AND "retry_factor" IS NULL AND "retry_max_ms" IS NULL AND "retry_jitter" IS NULL)
      OR ("retry_max_attempts" BETWEEN 1 AND 100 AND "retry_initial_ms" >= 0 AND "retry_factor" >= 1
          AND "retry_max_ms" >= "retry_initial_ms" AND "retry_jitter" BETWEEN 0 AND 1));

ALTER TABLE "execution" ADD COLUMN "retry_initial_ms" INTEGER,
    ADD COLUMN "retry_factor" DOUBLE PRECISION,
    ADD COLUMN "retry_max_ms" INTEGER,
    ADD COLUMN "retry_jitter" DOUBLE PRECISION,
    ADD CONSTRAINT "execution_retry_check" CHECK (
      ("retry_initial_ms" IS NULL AND "retry_factor" IS NULL AND "retry_max_ms" IS NULL AND "retry_jitter" IS NULL)
      OR ("retry_initial_ms" >= 0 AND "retry_factor" >= 1 AND "retry_max_ms" >= "retry_initial_ms" AND "retry_jitter" BETWEEN 0 AND 1));
