import { describe, expect, it } from "vitest";
import * as events from "../../app/api/events/route";
import { changeVersion } from "../../lib/live/change-version";
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

describe("live updates (server-sent events)", () => {
  it("the change fingerprint moves with the caller's orgs only", async () => {
    const w = await apiWorld("fingerprint");
    const before = await changeVersion(db(), [w.a.id]);
    await submitExecution(db(), { orgId: w.b.id, projectId: w.b.projectId });
    expect(await changeVersion(db(), [w.a.id])).toBe(before);
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    expect(await changeVersion(db(), [w.a.id])).not.toBe(before);
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

  it("refuses anonymous callers", async () => {
    const res = await events.GET(new Request("http://localhost/api/events"));
    expect(res.status).toBe(401);
  });
});
