import { describe, expect, it } from "vitest";
import { safeNext } from "./next-page";

describe("safeNext (where sign-in returns to)", () => {
  it("keeps a page of this app with its query", () => {
    expect(safeNext("/orgs/0b6f2c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b/executions?state=QUEUED")).toBe("/orgs/0b6f2c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b/executions?state=QUEUED");
  });

  it.each([null, "", "orgs", "https://evil.example/orgs", "//evil.example", "/\\evil.example", "/login?next=/orgs", "/" + "a".repeat(2001)])("refuses %s", (next) => {
    expect(safeNext(next)).toBeNull();
  });
});
