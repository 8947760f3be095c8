import { describe, expect, it } from "vitest";
import { actionChoices, auditCursor, auditFiltersFrom, entityTypeChoices } from "./audit-filters";

describe("the audit log's filters in the URL", () => {
  it("reads the API's filters, trimmed, leaving out blanks and anything else", () => {
    const params = new URLSearchParams("actor=%20alice%40example.com%20&action=flow&entityType=&q=etl&pages=12&orgId=x");
    expect(auditFiltersFrom(params)).toEqual({ actor: "alice@example.com", action: "flow", q: "etl" });
  });

  it("takes an entry id from the page trail and treats anything else as the first page", () => {
    expect(auditCursor("1234")).toBe(1234);
    expect(auditCursor(undefined)).toBeUndefined();
    expect(auditCursor("0")).toBeUndefined();
    expect(auditCursor("12abc")).toBeUndefined();
    expect(auditCursor("99999999999999999999")).toBeUndefined();
  });
});

describe("the audit log's choices", () => {
  it("groups the actions by what they change, a family choice where there are several", () => {
    const groups = actionChoices("platform");
    const flow = groups.find((g) => g.label === "Flow")!;
    expect(flow).toEqual({
      label: "Flow",
      family: "flow",
      actions: [
        { value: "flow.create", label: "Flow created" },
        { value: "flow.update", label: "Flow updated" },
        { value: "flow.delete", label: "Flow deleted" },
      ],
    });
    expect(groups.find((g) => g.label === "Organization limits")).toEqual({ label: "Organization limits", family: null, actions: [{ value: "org.limits.update", label: "Organization limits updated" }] });
    expect(groups.find((g) => g.label === "Execution")!.actions.map((a) => a.label)).toEqual(["Execution run now", "Execution resumed"]);
    // Every action has words (describeAction knows it), so the select never shows a raw action.
    expect(groups.flatMap((g) => g.actions).every((a) => !a.label.includes("."))).toBe(true);
  });

  it("leaves the platform's own changes out of an org's log", () => {
    expect(actionChoices("org").some((g) => g.label === "Platform settings")).toBe(false);
    expect(actionChoices("platform").some((g) => g.label === "Platform settings")).toBe(true);
    expect(entityTypeChoices("org").map(([t]) => t)).not.toContain("platform");
    expect(entityTypeChoices("platform")).toContainEqual(["platform", "Platform settings"]);
    expect(entityTypeChoices("org")).toContainEqual(["membership", "Member"]);
  });
});
