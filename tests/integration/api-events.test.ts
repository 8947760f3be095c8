import { describe, expect, it } from "vitest";
import * as events from "../../app/api/events/route";
import { watchChanges } from "../../lib/live/watch-changes";
import { submitExecution } from "../../lib/scheduler/submit-execution";
import { apiWorld } from "./helpers/api";
import { db } from "./helpers/fixtures";

async function nextEvent(reader: ReadableStreamDefaultReader<Uint8Array>, timeoutMs: number): Promise<string | null> {
  const decoder = new TextDecoder();
  const timeout = new Promise<null>((r) => setTimeout(() => r(null), timeoutMs));
  let text = "";
  for (;;) {
    const chunk = await Promise.race([reader.read(), timeout]);
    if (chunk === null || chunk.done) return null;
    text += decoder.decode(chunk.value);
    const m = /event: (\w+)/.exec(text);
    if (m) return m[1]!;
  }
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

  it("streams a change event when the member's org changes", async () => {
    const w = await apiWorld("events");
    const controller = new AbortController();
    const res = await events.GET(new Request("http://localhost/api/events", { headers: { authorization: `Bearer ${w.tokens.memberA}` }, signal: controller.signal }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    expect(await nextEvent(reader, 10_000)).toBe("ready");
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    expect(await nextEvent(reader, 10_000)).toBe("change");
    controller.abort();
  });

  it("ends the stream when the connection that hears changes drops, so the browser reconnects", async () => {
    const w = await apiWorld("events-lost");
    const res = await events.GET(new Request("http://localhost/api/events", { headers: { authorization: `Bearer ${w.tokens.memberA}` } }));
    const reader = res.body!.getReader();
    expect(await nextEvent(reader, 10_000)).toBe("ready");
    const { rowCount } = await db().query(
      "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    );
    expect(rowCount).toBe(1);
    const ended = await Promise.race([reader.read().then((r) => r.done), new Promise((r) => setTimeout(() => r("still open"), 5_000))]);
    expect(ended).toBe(true);

    // The next subscriber opens a new connection and hears changes again.
    const again = await events.GET(new Request("http://localhost/api/events", { headers: { authorization: `Bearer ${w.tokens.memberA}` } }));
    const readerAgain = again.body!.getReader();
    expect(await nextEvent(readerAgain, 10_000)).toBe("ready");
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    expect(await nextEvent(readerAgain, 10_000)).toBe("change");
    await readerAgain.cancel();
  });

  it("refuses anonymous callers", async () => {
    const res = await events.GET(new Request("http://localhost/api/events"));
    expect(res.status).toBe(401);
  });
});
