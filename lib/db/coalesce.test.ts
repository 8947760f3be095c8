import { describe, expect, it } from "vitest";
import { coalesced } from "./coalesce";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("coalesced reads", () => {
  it("callers that ask while a read runs share the next read, never the running one", async () => {
    const loads: ReturnType<typeof deferred<number>>[] = [];
    const read = coalesced(() => {
      const d = deferred<number>();
      loads.push(d);
      return d.promise;
    });
    const first = read(null);
    const second = read(null);
    const third = read(null);
    expect(loads).toHaveLength(1);
    loads[0]!.resolve(1);
    expect(await first).toBe(1);
    await Promise.resolve();
    expect(loads).toHaveLength(2);
    loads[1]!.resolve(2);
    expect([await second, await third]).toEqual([2, 2]);
  });

  it("keys are independent, and a failed read fails only its own callers", async () => {
    let n = 0;
    const read = coalesced(async (key: string) => {
      n++;
      if (key === "bad" && n === 1) throw new Error("boom");
      return `${key}:${n}`;
    });
    const bad = read("bad");
    const retry = read("bad");
    const other = read("other");
    await expect(bad).rejects.toThrow("boom");
    expect(await retry).toMatch(/^bad:/);
    expect(await other).toMatch(/^other:/);
    expect(n).toBe(3);
  });

  it("a read after everything settled starts afresh", async () => {
    let n = 0;
    const read = coalesced(async () => ++n);
    expect(await read(null)).toBe(1);
    expect(await read(null)).toBe(2);
  });
});
