import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { apiRouteFiles } from "../../tests/support/api-routes";
import { routeTable } from "./route-table";

const table = (...patterns: string[]) => routeTable(patterns.map((pattern) => ({ pattern, route: pattern })));

/** The app's own API routes, as folder paths. */
const apiPatterns = () => apiRouteFiles().map((r) => r.pattern);

describe("routeTable", () => {
  it("matches a literal route on its exact path only", () => {
    const t = table("/api/health", "/api/private/lifecycle_management/parallel_execution_settings:details");
    expect(t.match("/api/health")).toEqual({ route: "/api/health", params: {} });
    expect(t.match("/api/private/lifecycle_management/parallel_execution_settings:details")?.route).toBe("/api/private/lifecycle_management/parallel_execution_settings:details");
    for (const miss of ["/api/health/", "/api/healthz", "/api", "/api/health/x", "//api/health", "/"]) expect(t.match(miss)).toBeNull();
  });

  it("decodes dynamic segments and collects a catch-all's segments", () => {
    const t = table("/api/orgs/[orgId]/flows/[flowId]", "/api/auth/[...all]");
    expect(t.match("/api/orgs/org%20a/flows/f%2F1")).toEqual({ route: "/api/orgs/[orgId]/flows/[flowId]", params: { orgId: "org a", flowId: "f/1" } });
    expect(t.match("/api/auth/sign-in/email")).toEqual({ route: "/api/auth/[...all]", params: { all: ["sign-in", "email"] } });
    expect(t.match("/api/auth")).toBeNull();
  });

  it("prefers a literal to a parameter to a catch-all, segment by segment, as Next.js does", () => {
    const t = table("/api/x/[...rest]", "/api/x/[id]", "/api/x/new", "/api/x/[id]/c", "/api/x/b/[y]");
    expect(t.match("/api/x/new")?.route).toBe("/api/x/new");
    expect(t.match("/api/x/other")?.route).toBe("/api/x/[id]");
    expect(t.match("/api/x/a/b")?.route).toBe("/api/x/[...rest]");
    expect(t.match("/api/x/b/c")?.route).toBe("/api/x/b/[y]");
    expect(t.match("/api/x/a/c")?.route).toBe("/api/x/[id]/c");
  });

  it("leaves route groups out of the URL", () => {
    expect(table("/(console)/api/x").match("/api/x")?.route).toBe("/(console)/api/x");
  });

  it("matches nothing where a segment is not valid percent-encoding", () => {
    expect(table("/api/orgs/[orgId]").match("/api/orgs/%E0%A4%A")).toBeNull();
  });

  it("refuses patterns it cannot match as Next.js would", () => {
    expect(() => table("/api/[[...opt]]")).toThrow(/unsupported/);
    expect(() => table("/api/[...rest]/x")).toThrow(/last segment/);
    expect(() => table("/api/[a]", "/api/[b]")).toThrow(/same paths/);
  });

  it("reaches every route of the app at its own URL, whatever its parameters hold", () => {
    const patterns = apiPatterns();
    expect(patterns.length).toBeGreaterThan(30);
    const t = table(...patterns);
    const literals = new Set(patterns.flatMap((p) => p.split("/")).filter((s) => s && !s.startsWith("[")));
    const value = fc.string({ minLength: 1, maxLength: 12, unit: "binary" }).filter((s) => !literals.has(s));
    fc.assert(
      fc.property(fc.constantFrom(...patterns), fc.array(value, { minLength: 3, maxLength: 3 }), (pattern, values) => {
        const expected: Record<string, string | string[]> = {};
        let i = 0;
        const url = pattern.replace(/\[(\.\.\.)?([^\]]+)\]/g, (_m, rest: string | undefined, name: string) => {
          const v = values[i++]!;
          expected[name] = rest ? [v] : v;
          return encodeURIComponent(v);
        });
        expect(t.match(url)).toEqual({ route: pattern, params: expected });
      }),
    );
  });
});
