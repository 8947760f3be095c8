import { beforeAll, expect, it } from "vitest";
import { prisma } from "../../lib/db/client";
import { listOrgs } from "../../lib/orgs/orgs";

let a: string;
let b: string;
beforeAll(async () => {
  a = (await prisma().organization.create({ data: { name: "Acme Corp", slug: "acme", weight: 1 } })).id;
  b = (await prisma().organization.create({ data: { name: "Beta Inc", slug: "beta", weight: 2, maxConcurrency: 7 } })).id;
});

it("returns every org for the 'all' scope, by name", async () => {
  expect(await listOrgs(prisma(), "all")).toEqual([
    { id: a, name: "Acme Corp", slug: "acme", weight: 1, maxConcurrency: 0, createdAt: expect.any(Date) },
    { id: b, name: "Beta Inc", slug: "beta", weight: 2, maxConcurrency: 7, createdAt: expect.any(Date) },
  ]);
});

it("returns only the orgs in a tenant's scope", async () => {
  expect((await listOrgs(prisma(), [a])).map((o) => o.name)).toEqual(["Acme Corp"]);
  expect(await listOrgs(prisma(), [])).toEqual([]);
});
