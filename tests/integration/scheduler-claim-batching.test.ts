import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { claimExecutions } from "../../lib/dispatch/claim";
import { submitExecution } from "../../lib/dispatch/submit";
import { db, inFlight, org, worker } from "./helpers/fixtures";

// Concurrent claims from one process share dispatch transactions (claim-executions.ts). The
// transition rows a transaction writes share its xmin, which shows how claims were grouped.

async function submit(orgId: string, projectId: string, n: number) {
  for (let i = 0; i < n; i++) await submitExecution(db(), { orgId, projectId });
}

describe("claim batching", () => {
  it("concurrent claims go in at most two transactions, each sees the others' slots, none exceeds a cap", async () => {
    const acme = await org({ maxConcurrency: 7 });
    await submit(acme.id, acme.projectId, 20);
    const workers = await Promise.all(Array.from({ length: 6 }, () => worker()));
    const results = await Promise.all(workers.map((w) => claimExecutions(db(), { workerId: w, limit: 2, orgId: acme.id })));
    const ids = results.flatMap((r) => r.claimed.map((c) => c.id));
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    expect(await inFlight(acme.id)).toBe(7);
    const { rows } = await db().query<{ n: number }>(
      `SELECT count(DISTINCT xmin::text)::int AS n FROM execution_transition WHERE execution_id = ANY($1::uuid[]) AND to_state = 'RUNNING'`,
      [ids],
    );
    expect(rows[0]!.n).toBeLessThanOrEqual(2);
  });

  it("a claim that fails takes no other claim of its batch with it", async () => {
    const beta = await org();
    await submit(beta.id, beta.projectId, 6);
    const [w1, w2] = [await worker(), await worker()];
    // The first claim runs alone; the next two share a transaction, which the unknown worker
    // aborts (404); each is then retried on its own.
    const [first, second, broken] = await Promise.allSettled([
      claimExecutions(db(), { workerId: w1, limit: 2, orgId: beta.id }),
      claimExecutions(db(), { workerId: w2, limit: 2, orgId: beta.id }),
      claimExecutions(db(), { workerId: randomUUID(), limit: 2, orgId: beta.id }),
    ]);
    expect(first.status === "fulfilled" && first.value.claimed).toHaveLength(2);
    expect(second.status === "fulfilled" && second.value.claimed).toHaveLength(2);
    expect(broken).toMatchObject({ status: "rejected", reason: { status: 404 } });
    expect(await inFlight(beta.id)).toBe(4);
  });
});
