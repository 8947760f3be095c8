import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { payloadSchema, runPayload, type RunOptions } from "./payload";

describe("payloadSchema", () => {
  it("accepts simulated work that pauses within it", () => {
    expect(payloadSchema.parse({ sleepMs: 3_000, pause: { afterMs: 1_000, forMs: 5_000 } })).toEqual({ sleepMs: 3_000, pause: { afterMs: 1_000, forMs: 5_000 } });
    expect(payloadSchema.safeParse({ sleepMs: 1_000, pause: { afterMs: 1_000, forMs: 0 } }).success).toBe(true);
  });

  it.each([
    ["a pause after the work is done", { sleepMs: 500, pause: { afterMs: 501, forMs: 10 } }, "pause.afterMs must not exceed sleepMs"],
    ["a pause without simulated work", { pause: { afterMs: 1, forMs: 10 } }, "pause.afterMs must not exceed sleepMs"],
    ["a pausing command", { command: "echo hi", pause: { afterMs: 0, forMs: 10 } }, "pause is for simulated work (sleepMs), not commands"],
    ["a pause without its length", { sleepMs: 500, pause: { afterMs: 100 } }, null],
    ["an unknown pause field", { sleepMs: 500, pause: { afterMs: 100, forMs: 10, times: 2 } }, null],
    ["a negative pause", { sleepMs: 500, pause: { afterMs: 100, forMs: -1 } }, null],
  ])("rejects %s", (_what, payload, message) => {
    const parsed = payloadSchema.safeParse(payload);
    expect(parsed.success).toBe(false);
    if (message) expect(parsed.error!.issues[0]!.message).toBe(message);
  });
});

describe("runPayload with a pause", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function options(overrides: Partial<RunOptions> & { abort?: AbortController }): RunOptions & { pauses: { at: number; forMs: number }[] } {
    const pauses: { at: number; forMs: number }[] = [];
    const start = Date.now();
    return {
      allowedCommands: [],
      defaultTimeoutMs: 1_000,
      signal: (overrides.abort ?? new AbortController()).signal,
      resumed: false,
      pause: async (forMs) => {
        pauses.push({ at: Date.now() - start, forMs });
      },
      pauses,
      ...overrides,
    };
  }

  it("pauses once, after afterMs of its work, then runs the rest", async () => {
    const o = options({});
    const run = runPayload({ sleepMs: 3_000, pause: { afterMs: 1_000, forMs: 5_000 } }, o);
    await vi.advanceTimersByTimeAsync(999);
    expect(o.pauses).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(o.pauses).toEqual([{ at: 1_000, forMs: 5_000 }]);
    await vi.advanceTimersByTimeAsync(1_999);
    let settled = false;
    void run.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await run).toMatchObject({ status: "SUCCESS", result: { durationMs: 3_000 } });
    expect(o.pauses).toHaveLength(1);
  });

  it("resumed (the claim says so) runs only the part after the pause, without pausing", async () => {
    const o = options({ resumed: true });
    const run = runPayload({ sleepMs: 3_000, pause: { afterMs: 1_000, forMs: 5_000 } }, o);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await run).toMatchObject({ status: "SUCCESS", result: { durationMs: 2_000 } });
    expect(o.pauses).toEqual([]);
  });

  it("stops without finishing when the worker aborts it during the pause (killed, or resumed into the queue)", async () => {
    const abort = new AbortController();
    const o = options({ abort, pause: async () => abort.abort() });
    const run = runPayload({ sleepMs: 3_000, pause: { afterMs: 1_000, forMs: 5_000 } }, o);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await run).toMatchObject({ status: "FAILED", error: "stopped", result: { durationMs: 1_000 } });
  });

  it("fails a pausing payload that is invalid instead of running it", async () => {
    const o = options({});
    expect(await runPayload({ command: "echo hi", pause: { afterMs: 0, forMs: 1 } }, o)).toEqual({ status: "FAILED", error: "invalid payload: pause is for simulated work (sleepMs), not commands" });
    expect(o.pauses).toEqual([]);
  });
});
