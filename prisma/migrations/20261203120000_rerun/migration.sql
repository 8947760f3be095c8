-- Rerun (docs/lifecycle.md, "Rerun"): a new execution made from a finished one, through full
-- admission. It names the one it reruns; deleting that one leaves the rerun standing.
ALTER TABLE "execution" ADD COLUMN "rerun_of" UUID,
    ADD CONSTRAINT "execution_rerun_of_fkey" FOREIGN KEY ("rerun_of") REFERENCES "execution"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "execution_rerun_of_idx" ON "execution"("rerun_of") WHERE "rerun_of" IS NOT NULL;
