import { describe, expect, it } from "vitest";
import type { OrgConcurrencyRow } from "../contract/orgs";
import { nextSort, paginate, searchOrgs, sortOrgs } from "./org-table-model";

const org = (name: string, fields: Partial<OrgConcurrencyRow> = {}): OrgConcurrencyRow => ({
  organizationId: name, name, currentInFlight: 0, queued: 0, maxConcurrency: 0, weight: 1, ratio: 0, rank: null, hasData: true, ...fields,
});

describe("org table model", () => {
  const orgs = [
    org("Gamma", { currentInFlight: 5, weight: 5, ratio: 1, rank: 2, maxConcurrency: 10 }),
    org("acme", { currentInFlight: 2, ratio: 2, rank: null, maxConcurrency: 0 }),
    org("Beta", { currentInFlight: 0, ratio: 0, rank: 1, maxConcurrency: 3 }),
  ];
  const names = (list: readonly OrgConcurrencyRow[]) => list.map((o) => o.name);

  it("sorts by name case-insensitively, and by numbers both ways", () => {
    expect(names(sortOrgs(orgs, { key: "name", direction: "ascending" }))).toEqual(["acme", "Beta", "Gamma"]);
    expect(names(sortOrgs(orgs, { key: "currentInFlight", direction: "descending" }))).toEqual(["Gamma", "acme", "Beta"]);
    expect(names(sortOrgs(orgs, { key: "ratio", direction: "ascending" }))).toEqual(["Beta", "Gamma", "acme"]);
  });

  it("puts orgs that cannot take a slot after every rank, and 'No limit' above every cap", () => {
    expect(names(sortOrgs(orgs, { key: "rank", direction: "ascending" }))).toEqual(["Beta", "Gamma", "acme"]);
    expect(names(sortOrgs(orgs, { key: "maxConcurrency", direction: "descending" }))).toEqual(["acme", "Gamma", "Beta"]);
  });

  it("orders equal values by name in either direction", () => {
    const tied = [org("b", { weight: 1 }), org("a", { weight: 1 }), org("c", { weight: 2 })];
    expect(names(sortOrgs(tied, { key: "weight", direction: "descending" }))).toEqual(["c", "a", "b"]);
    expect(names(sortOrgs(tied, { key: "weight", direction: "ascending" }))).toEqual(["a", "b", "c"]);
  });

  it("searches names case-insensitively", () => {
    expect(names(searchOrgs(orgs, "  GAM "))).toEqual(["Gamma"]);
    expect(searchOrgs(orgs, "")).toHaveLength(3);
  });

  it("shows 1 000 orgs 50 at a time and clamps the page", () => {
    const many = Array.from({ length: 1000 }, (_, i) => org(`Org ${String(i).padStart(4, "0")}`));
    const first = paginate(many, 1);
    expect([first.rows.length, first.pageCount, first.rows[0]!.name]).toEqual([50, 20, "Org 0000"]);
    expect(paginate(many, 20).rows.at(-1)!.name).toBe("Org 0999");
    expect(paginate(many, 99).page).toBe(20);
    expect(paginate([], 3)).toEqual({ rows: [], page: 1, pageCount: 1 });
  });

  it("flips the direction on the same column; a new numeric column starts biggest first", () => {
    expect(nextSort({ key: "name", direction: "ascending" }, "name")).toEqual({ key: "name", direction: "descending" });
    expect(nextSort({ key: "name", direction: "ascending" }, "queued")).toEqual({ key: "queued", direction: "descending" });
    expect(nextSort({ key: "queued", direction: "descending" }, "rank")).toEqual({ key: "rank", direction: "ascending" });
  });
});
