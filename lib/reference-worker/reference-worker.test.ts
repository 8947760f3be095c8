import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { ReferenceWorker } from "./reference-worker";

describe("ReferenceWorker", () => {
  it("gives every claim its own abort signal, so idle polling does not pile up listeners", async () => {
    const signals: AbortSignal[] = [];
    let claims = 0;
    let done!: () => void;
    const enough = new Promise<void>((resolve) => (done = resolve));
    // Like Node's fetch: a listener on the request's signal that outlives the response.
    const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
      const path = new URL(String(url)).pathname;
      if (init?.signal) {
        init.signal.addEventListener("abort", () => undefined);
        if (path.endsWith("/claim")) signals.push(init.signal);
      }
      if (path.endsWith("/register")) return Response.json({ workerId: "w1" });
      if (path.endsWith("/claim") && ++claims === 20) done();
      return Response.json({ claimed: [], completed: [] }, { headers: { "retry-after": "0" } });
    }) as typeof fetch;
    const worker = new ReferenceWorker({
      baseUrl: "http://slotwise.test", token: "t", name: "w", queues: [], concurrency: 2, allowedCommands: [],
      defaultTimeoutMs: 1_000, heartbeatMs: 60_000, waitMs: 1, releaseAfterMs: 0, fetch: fakeFetch,
    });
    await worker.start();
    await enough;
    await worker.stop();
    expect(new Set(signals).size).toBe(signals.length);
    expect(Math.max(...signals.map((s) => getEventListeners(s, "abort").length))).toBe(1);
  });

  it("says when the server refused an outcome it reported (killed, or its lease was lost)", async () => {
    const lines: string[] = [];
    let claims = 0;
    let done!: () => void;
    const refused = new Promise<void>((resolve) => (done = resolve));
    const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
      const path = new URL(String(url)).pathname;
      if (path.endsWith("/register")) return Response.json({ workerId: "w1" });
      const body = JSON.parse(String(init?.body ?? "{}")) as { complete?: { executionId: string }[] };
      if (path.endsWith("/claim")) {
        claims++;
        if (claims === 1) return Response.json({ claimed: [{ id: "e1", leaseToken: 1, payload: { sleepMs: 0 }, resumed: false }], completed: [] });
        const completed = (body.complete ?? []).map((c) => ({ executionId: c.executionId, ok: false, code: "lease_lost", state: "QUEUED" }));
        if (completed.length > 0) queueMicrotask(done);
        return Response.json({ claimed: [], completed }, { headers: { "retry-after": "0" } });
      }
      return Response.json({ results: [] });
    }) as typeof fetch;
    const worker = new ReferenceWorker({
      baseUrl: "http://slotwise.test", token: "t", name: "w", queues: [], concurrency: 1, allowedCommands: [],
      defaultTimeoutMs: 1_000, heartbeatMs: 60_000, waitMs: 1, releaseAfterMs: 0, fetch: fakeFetch, log: (line) => lines.push(line),
    });
    await worker.start();
    await refused;
    await worker.stop();
    expect(lines).toContain("outcome of e1 refused: lease_lost (it is QUEUED)");
  });
});
