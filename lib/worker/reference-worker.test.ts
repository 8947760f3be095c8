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
});
