import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as openapi from "../../app/api/openapi.json/route";
import { OPERATIONS } from "../../lib/api/openapi";
import { call } from "./helpers/api";

async function routeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : Promise.resolve(e.name === "route.ts" ? [path.join(dir, e.name)] : []))));
  return nested.flat();
}

describe("OpenAPI document", () => {
  it("describes every route handler method, and nothing that does not exist", async () => {
    const served = new Set<string>();
    for (const file of await routeFiles("app/api")) {
      const routePath = "/" + path.dirname(path.relative("app", file)).replace(/\[([^\]]+)\]/g, "{$1}");
      if (routePath.startsWith("/api/auth/")) continue; // better-auth's own endpoints
      const source = await readFile(file, "utf8");
      for (const m of source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)) served.add(`${m[1]!.toLowerCase()} ${routePath}`);
    }
    const described = new Set(OPERATIONS.map((o) => `${o.method} ${o.path}`));
    expect([...served].filter((x) => !described.has(x))).toEqual([]);
    expect([...described].filter((x) => !served.has(x))).toEqual([]);
  });

  it("is served as OpenAPI 3.1 with request schemas from the handlers' zod schemas", async () => {
    const res = await call(openapi.GET, "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe("3.1.0");
    const put = res.json.paths["/api/fair-scheduler/orgs/{orgId}"].put;
    const schema = put.requestBody.content["application/json"].schema;
    expect(schema.properties.weight).toMatchObject({ type: "integer", minimum: 1 });
    expect(schema.additionalProperties).toBe(false);
    expect(put.parameters).toEqual([expect.objectContaining({ name: "orgId", in: "path", required: true })]);
  });
});
