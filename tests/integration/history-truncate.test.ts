import { describe, expect, it } from "vitest";
import { submitExecution } from "../../lib/dispatch/submit";
import { db, org } from "./helpers/fixtures";

// Its own file: it empties the execution table of this file's database.
describe("execution history without a foreign key", () => {
  it("a TRUNCATE of executions empties their history too", async () => {
    const acme = await org();
    await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    const historyRows = async () => Number((await db().query("SELECT count(*) FROM execution_transition")).rows[0].count);
    expect(await historyRows()).toBeGreaterThan(0);
    // CASCADE: idempotency keys name their execution with a foreign key (docs/limits.md).
    await db().query("TRUNCATE execution CASCADE");
    expect(await historyRows()).toBe(0);
  });
});
