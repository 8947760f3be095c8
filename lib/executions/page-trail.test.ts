import { describe, expect, it } from "vitest";
import { pageTrail } from "./page-trail";

describe("the executions list's page trail", () => {
  it("starts on page 1 with no cursor", () => {
    const t = pageTrail(null);
    expect([t.page, t.cursor, t.previous()]).toEqual([1, undefined, null]);
    expect(t.next("MTA")).toBe("MTA");
  });

  it("goes forward and back through the cursors that led here", () => {
    const t = pageTrail("MTA.NQ");
    expect([t.page, t.cursor]).toEqual([3, "NQ"]);
    expect(t.next("Mg")).toBe("MTA.NQ.Mg");
    expect(t.previous()).toBe("MTA");
    expect(pageTrail("MTA").previous()).toBeNull();
  });

  it("ignores empty segments of a hand-edited URL", () => {
    expect(pageTrail("..MTA.").cursor).toBe("MTA");
  });
});
