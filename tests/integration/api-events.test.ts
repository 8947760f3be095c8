import { describe, expect, it } from "vitest";
import * as events from "../../app/api/events/route";
import { dispatchWaiter } from "../../lib/db/notifications";
import { watchChanges } from "../../lib/live/watch-changes";
import { deleteExecution } from "../../lib/dispatch/kill";
import { submitExecution } from "../../lib/dispatch/submit";
import { apiWorld } from "./helpers/api";
import { db } from "./helpers/fixtures";

// The event types of a stream, read in the background, so waiting for the next one with a
// timeout never leaves a read behind that would swallow it. `null`: none in time, or the end.

function eventsOf(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const types: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  void (async () => {
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
      for (let end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
        const type = /^event: (\w+)/m.exec(text.slice(0, end));
        if (type) types.push(type[1]!);
        text = text.slice(end + 2);
      }
      wake?.();
    }
    ended = true;
    wake?.();
  })().catch(() => ((ended = true), wake?.()));
  return {
    async next(timeoutMs: number): Promise<string | null> {
      const deadline = Date.now() + timeoutMs;
      while (types.length === 0 && !ended && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, deadline - Date.now());
        });
      }
      return types.shift() ?? null;
    },
    get ended() {
      return ended;
    },
    cancel: () => reader.cancel(),
  };
}

/** Counts a watcher's change reports; `reached(n)` resolves once there have been n. */
function counter() {
  let count = 0;
  const waiting: { n: number; resolve(): void }[] = [];
  return {
    get count() {
      return count;
    },
    onChange() {
      count++;
      for (const w of waiting.filter((w) => w.n <= count)) w.resolve();
    },
    reached(n: number, timeoutMs = 5_000) {
      if (count >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${count} changes reported, ${n} expected`)), timeoutMs);
        waiting.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

describe("live updates (server-sent events)", () => {
  it("a change reaches those who see its org, and platform-wide changes reach everyone", async () => {
    const w = await apiWorld("scoped");
    const [mine, everything] = [counter(), counter()];
    const watches = [
      await watchChanges([w.a.id], { onChange: mine.onChange, onLost: () => undefined, everyMs: 0 }),
      await watchChanges("all", { onChange: everything.onChange, onLost: () => undefined, everyMs: 0 }),
    ];
    try {
      await submitExecution(db(), { orgId: w.b.id, projectId: w.b.projectId });
      await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
      await everything.reached(2); // notifications arrive in commit order: B's has been heard too
      expect(mine.count).toBe(1);
      await db().query("INSERT INTO audit_event (org_id, actor, action, entity_type, entity_id) VALUES (NULL, 'test', 'platform edit', 'platform', 'platform')");
      await everything.reached(3);
      await mine.reached(2);
    } finally {
      for (const watch of watches) watch.close();
    }
  });

  // Ids are handed out when a row is written, not when it commits: a change written first and
  // committed last sits below a newer id that a dashboard has already seen. Polling for the
  // newest id never announced it.
  it("a change committed after a newer one is still announced", async () => {
    const w = await apiWorld("late-commit");
    const seen = counter();
    const watch = await watchChanges([w.a.id], { onChange: seen.onChange, onLost: () => undefined, everyMs: 0 });
    const [early, late] = [await db().connect(), await db().connect()];
    const audit = (client: typeof early, action: string) =>
      client.query("INSERT INTO audit_event (org_id, actor, action, entity_type, entity_id) VALUES ($1, 'test', $2, 'organization', $1::uuid::text)", [w.a.id, action]);
    try {
      await early.query("BEGIN");
      await audit(early, "written first");
      await late.query("BEGIN");
      await audit(late, "written second");
      await late.query("COMMIT");
      await seen.reached(1);
      await early.query("COMMIT");
      await seen.reached(2);
    } finally {
      early.release();
      late.release();
      watch.close();
    }
  });

  it("nothing is reported for a transaction that rolls back", async () => {
    const w = await apiWorld("rollback");
    const seen = counter();
    const watch = await watchChanges([w.a.id, w.b.id], { onChange: seen.onChange, onLost: () => undefined, everyMs: 0 });
    try {
      const client = await db().connect();
      await client.query("BEGIN");
      await client.query("INSERT INTO audit_event (org_id, actor, action, entity_type, entity_id) VALUES ($1, 'test', 'undone', 'organization', $1::uuid::text)", [w.a.id]);
      await client.query("ROLLBACK");
      client.release();
      await submitExecution(db(), { orgId: w.b.id, projectId: w.b.projectId });
      await seen.reached(1); // B's, committed after the rollback
      await new Promise((r) => setTimeout(r, 100));
      expect(seen.count).toBe(1);
    } finally {
      watch.close();
    }
  });

  it("a finished execution's deletion is a change too (it leaves no history behind)", async () => {
    const w = await apiWorld("delete");
    const done = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    await db().query("UPDATE execution SET state = 'CANCELLED', holds_slot = false WHERE id = $1", [done.id]);
    const seen = counter();
    const watch = await watchChanges([w.a.id], { onChange: seen.onChange, onLost: () => undefined, everyMs: 0 });
    try {
      await deleteExecution(db(), { executionId: done.id, actor: "test" });
      expect((await db().query("SELECT 1 FROM execution_transition WHERE execution_id = $1", [done.id])).rowCount).toBe(0);
      await seen.reached(1);
    } finally {
      watch.close();
    }
  });

  it("a change that frees no slot and adds no work does not wake waiting claimers", async () => {
    const w = await apiWorld("no-wake");
    const everything = counter();
    const watch = await watchChanges("all", { onChange: everything.onChange, onLost: () => undefined, everyMs: 0 });
    const waiter = await dispatchWaiter();
    try {
      await db().query("INSERT INTO audit_event (org_id, actor, action, entity_type, entity_id) VALUES ($1, 'test', 'edit', 'organization', $1::uuid::text)", [w.a.id]);
      await everything.reached(1); // its notification has been heard in this process
      expect(await waiter.wait(50)).toBe(false);
      await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
      expect(await waiter.wait(5_000)).toBe(true);
    } finally {
      waiter.close();
      watch.close();
    }
  });

  it("streams a change event when the member's org changes, and none for another org's", async () => {
    const w = await apiWorld("events");
    const controller = new AbortController();
    const res = await events.GET(new Request("http://localhost/api/events", { headers: { authorization: `Bearer ${w.tokens.memberA}` }, signal: controller.signal }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const stream = eventsOf(res.body!);
    expect(await stream.next(10_000)).toBe("ready");
    const everything = counter();
    const watch = await watchChanges("all", { onChange: everything.onChange, onLost: () => undefined, everyMs: 0 });
    await submitExecution(db(), { orgId: w.b.id, projectId: w.b.projectId });
    await everything.reached(1); // heard in this process: a stream it concerned has it queued already
    expect(await stream.next(50)).toBeNull();
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    expect(await stream.next(10_000)).toBe("change");
    watch.close();
    controller.abort();
  });

  it("ends at once the stream of a client that left while it was being opened", async () => {
    const w = await apiWorld("events-gone");
    const controller = new AbortController();
    controller.abort();
    const res = await events.GET(new Request("http://localhost/api/events", { headers: { authorization: `Bearer ${w.tokens.memberA}` }, signal: controller.signal }));
    const stream = eventsOf(res.body!);
    expect(await stream.next(10_000)).toBe("ready");
    expect(await stream.next(5_000)).toBeNull();
    expect(stream.ended).toBe(true);
  });

  it("ends the stream when the connection that hears changes drops, so the browser reconnects", async () => {
    const w = await apiWorld("events-lost");
    const res = await events.GET(new Request("http://localhost/api/events", { headers: { authorization: `Bearer ${w.tokens.memberA}` } }));
    const stream = eventsOf(res.body!);
    expect(await stream.next(10_000)).toBe("ready");
    const { rowCount } = await db().query(
      "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    );
    expect(rowCount).toBe(1);
    expect(await stream.next(5_000)).toBeNull();
    expect(stream.ended).toBe(true);

    // The next subscriber opens a new connection and hears changes again.
    const again = await events.GET(new Request("http://localhost/api/events", { headers: { authorization: `Bearer ${w.tokens.memberA}` } }));
    const streamAgain = eventsOf(again.body!);
    expect(await streamAgain.next(10_000)).toBe("ready");
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    expect(await streamAgain.next(10_000)).toBe("change");
    await streamAgain.cancel();
  });

  it("refuses anonymous callers", async () => {
    const res = await events.GET(new Request("http://localhost/api/events"));
    expect(res.status).toBe(401);
  });
});
