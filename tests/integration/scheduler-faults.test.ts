import { afterEach, describe, expect, it } from "vitest";
import { claimExecutions, completeExecutions } from "../../lib/dispatch/claim";
import { killExecution } from "../../lib/dispatch/kill";
import { reconcile } from "../../lib/dispatch/reconcile";
import { submitExecution } from "../../lib/dispatch/submit";
import { MAX_TX_ATTEMPTS, withTransaction } from "../../lib/db/transaction";
import { db, inFlight, org, stateOf, worker } from "./helpers/fixtures";

// Faults injected with a database trigger on the transition history, which every state
// change writes in the same transaction as the change itself.

async function injectFault(sqlstate: string, failures: number, onState: string) {
  // A sequence counts attempts because, unlike a table, it survives the rollbacks it causes.
  await db().query("DROP SEQUENCE IF EXISTS fault_attempts; CREATE SEQUENCE fault_attempts");
  await db().query(`
    CREATE OR REPLACE FUNCTION inject_fault() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.to_state::text = '${onState}' AND nextval('fault_attempts') <= ${failures} THEN
        RAISE EXCEPTION 'injected fault' USING ERRCODE = '${sqlstate}';
      END IF;
      RETURN NEW;
    END $$`);
  await db().query("CREATE OR REPLACE TRIGGER inject_fault BEFORE INSERT ON execution_transition FOR EACH ROW EXECUTE FUNCTION inject_fault()");
}

async function attemptsSeen(): Promise<number> {
  return Number((await db().query("SELECT last_value FROM fault_attempts")).rows[0].last_value);
}

afterEach(async () => {
  await db().query("DROP TRIGGER IF EXISTS inject_fault ON execution_transition");
});

async function oneRunning() {
  const acme = await org();
  const w = await worker();
  const { id } = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
  const [c] = (await claimExecutions(db(), { workerId: w, limit: 1, orgId: acme.id })).claimed;
  return { acme, w, id, token: c!.leaseToken };
}

describe("faults", () => {
  it("a database error during release rolls the whole transition back", async () => {
    const { acme, w, id, token } = await oneRunning();
    await injectFault("XX000", 1_000, "SUCCESS");
    await expect(completeExecutions(db(), w, [{ executionId: id, leaseToken: token, status: "SUCCESS" }])).rejects.toThrow("injected fault");
    expect(await stateOf(id)).toMatchObject({ state: "RUNNING", holds_slot: true });
    expect(await inFlight(acme.id)).toBe(1);
    // Not retryable: tried exactly once.
    expect(await attemptsSeen()).toBe(1);
  });

  it("a kill whose history write fails leaves the execution and its slot as they were", async () => {
    const { acme, id } = await oneRunning();
    await injectFault("XX000", 1_000, "KILLED");
    await expect(killExecution(db(), { executionId: id, actor: "t" })).rejects.toThrow("injected fault");
    expect(await stateOf(id)).toMatchObject({ state: "RUNNING", holds_slot: true });
    expect(await inFlight(acme.id)).toBe(1);
  });

  it.each([
    ["serialization failure", "40001"],
    ["deadlock", "40P01"],
  ])("a %s is retried and then succeeds", async (_name, code) => {
    const { w, id, token } = await oneRunning();
    await injectFault(code, 2, "SUCCESS");
    expect(await completeExecutions(db(), w, [{ executionId: id, leaseToken: token, status: "SUCCESS" }])).toEqual([{ executionId: id, ok: true }]);
    expect(await attemptsSeen()).toBe(3);
    expect((await stateOf(id)).state).toBe("SUCCESS");
  });

  // A claim's COMMIT is sent right behind the statement that marks its picks RUNNING (pipelined,
  // see lib/db/transaction.ts): when that statement fails, the commit must not take.
  it("a claim whose RUNNING mark fails commits nothing, though its COMMIT was already sent", async () => {
    const acme = await org();
    const w = await worker();
    const { id } = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    await injectFault("XX000", 1_000, "RUNNING");
    await expect(claimExecutions(db(), { workerId: w, limit: 1, orgId: acme.id })).rejects.toThrow("injected fault");
    expect(await stateOf(id)).toMatchObject({ state: "QUEUED", holds_slot: false });
    expect(await attemptsSeen()).toBe(1);
    expect(await reconcile(db(), { repair: false })).toMatchObject({ laneDrift: [] });

    await injectFault("40001", 1, "RUNNING");
    const [claimed] = (await claimExecutions(db(), { workerId: w, limit: 1, orgId: acme.id })).claimed;
    expect(claimed?.id).toBe(id);
    expect(await attemptsSeen()).toBe(2);
    const marks = await db().query("SELECT count(*)::int AS n FROM execution_transition WHERE execution_id = $1 AND to_state = 'RUNNING'", [id]);
    expect(marks.rows[0].n).toBe(1);
  });

  it("a statement sent without waiting that fails makes the transaction fail, though the work returned", async () => {
    const name = `unawaited-${Date.now()}`;
    await expect(
      withTransaction(db(), async (tx, control) => {
        await tx.query("INSERT INTO worker (name, queues) VALUES ($1, '{}')", [name]);
        void tx.query("SELECT 1 / 0").catch(() => undefined);
        control.commitEarly();
        return "returned";
      }),
    ).rejects.toThrow("the transaction was rolled back");
    expect((await db().query("SELECT count(*)::int AS n FROM worker WHERE name = $1", [name])).rows[0].n).toBe(0);
  });

  it("work that fails after its early commit went through is not retried (it cannot be undone)", async () => {
    let attempts = 0;
    const name = `early-${Date.now()}`;
    await expect(
      withTransaction(db(), async (tx, control) => {
        attempts++;
        await tx.query("INSERT INTO worker (name, queues) VALUES ($1, '{}')", [name]);
        control.commitEarly();
        await tx.query("SELECT 1");
        throw Object.assign(new Error("after commit"), { code: "40001" });
      }),
    ).rejects.toThrow("after commit");
    expect(attempts).toBe(1);
    expect((await db().query("SELECT count(*)::int AS n FROM worker WHERE name = $1", [name])).rows[0].n).toBe(1);
  });

  it("retries are bounded", async () => {
    const { w, id, token } = await oneRunning();
    await injectFault("40001", 1_000, "SUCCESS");
    await expect(completeExecutions(db(), w, [{ executionId: id, leaseToken: token, status: "SUCCESS" }])).rejects.toMatchObject({ code: "40001" });
    expect(await attemptsSeen()).toBe(MAX_TX_ATTEMPTS);
    expect(await stateOf(id)).toMatchObject({ state: "RUNNING", holds_slot: true });
  });

  it("duplicate concurrent completions release the slot exactly once", async () => {
    const { acme, w, id, token } = await oneRunning();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => completeExecutions(db(), w, [{ executionId: id, leaseToken: token, status: i % 2 ? "FAILED" : "SUCCESS" }])),
    );
    expect(results.flat().filter((r) => r.ok)).toHaveLength(1);
    const releases = await db().query("SELECT count(*)::int AS n FROM execution_transition WHERE execution_id = $1 AND from_state = 'RUNNING'", [id]);
    expect(releases.rows[0].n).toBe(1);
    expect(await inFlight(acme.id)).toBe(0);
    expect(await reconcile(db(), { repair: false })).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
  });

  it("reconcile repairs and reports a drifted lane counter", async () => {
    const acme = await org();
    await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    await db().query("UPDATE dispatch_lane SET queued = queued + 5 WHERE org_id = $1", [acme.id]);
    const report = await reconcile(db());
    expect(report.laneDrift).toEqual([expect.objectContaining({ counted: 6, recounted: 1 })]);
    expect((await reconcile(db())).laneDrift).toEqual([]);
  });
});
