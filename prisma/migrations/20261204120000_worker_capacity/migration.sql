-- Workers and queues in the console, and explain naming busy workers (docs/operations.md,
-- "Workers and queues"): the concurrency a worker declares when it registers (null: it did not
-- say), and when it last asked for work — a claim, recorded at most every few seconds.
ALTER TABLE "worker" ADD COLUMN "concurrency" INTEGER,
    ADD COLUMN "last_claim_at" TIMESTAMPTZ(3),
    ADD CONSTRAINT "worker_concurrency_check" CHECK ("concurrency" IS NULL OR "concurrency" >= 1);
