import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as provision from "../../app/api/embed/provision/route";
import * as audit from "../../app/api/audit/route";
import * as fairOrg from "../../app/api/fair-scheduler/orgs/[orgId]/route";
import * as metricsRoute from "../../app/api/metrics/route";
import { resetEnvCache } from "../../lib/core/env";
import { prisma } from "../../lib/db/client";
import { apiWorld, call } from "./helpers/api";

const SECRET = "embedding-key-for-tests-only-0123456789";
const sign = (claims: Record<string, unknown>, secret = SECRET, exp = "5m") =>
  new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(secret));

describe("embedding provisioning", () => {
  let w: Awaited<ReturnType<typeof apiWorld>>;
  beforeAll(async () => {
    process.env.EMBED_JWT_SECRET = SECRET;
    resetEnvCache();
    w = await apiWorld("embed");
  });
  afterAll(() => {
    delete process.env.EMBED_JWT_SECRET;
    resetEnvCache();
  });

  const claims = () => ({ orgId: w.a.id, externalUserId: "ext-1", email: "Embedded@Example.com", externalProjectId: "proj-1", projectName: "Embedded", concurrencyPoolKey: "tenant-pool", concurrencyPoolLimit: 3 });

  it("creates the user, project and pool; a second token updates them in place", async () => {
    const first = await call(provision.POST, "POST", "/api/embed/provision", { headers: { authorization: `Bearer ${await sign(claims())}` } });
    expect(first.status).toBe(200);
    const pool = await prisma().concurrencyPool.findUnique({ where: { orgId_key: { orgId: w.a.id, key: "tenant-pool" } } });
    expect(pool?.limit).toBe(3);
    expect(first.json.project).toMatchObject({ name: "Embedded", poolId: pool!.id });
    expect(first.json.user.email).toBe("embedded@example.com");

    const second = await call(provision.POST, "POST", "/api/embed/provision", { headers: { authorization: `Bearer ${await sign({ ...claims(), projectName: "Renamed", concurrencyPoolLimit: 7 })}` } });
    expect(second.json.project.id).toBe(first.json.project.id);
    expect((await prisma().concurrencyPool.findUnique({ where: { id: pool!.id } }))?.limit).toBe(7);
    expect(await prisma().project.count({ where: { orgId: w.a.id, externalId: "proj-1" } })).toBe(1);
  });

  it("follows the external user when their email changes; refuses an email or project name that belongs to someone else (409), changing nothing", async () => {
    const post = async (extra: Record<string, unknown>) =>
      call(provision.POST, "POST", "/api/embed/provision", { headers: { authorization: `Bearer ${await sign({ ...claims(), externalUserId: "ext-mover", email: "mover@example.com", externalProjectId: "proj-mover", projectName: "Mover", ...extra })}` } });
    const first = await post({});
    expect(first.status, JSON.stringify(first.json)).toBe(200);

    const moved = await post({ email: "Mover.New@Example.com" });
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    expect(moved.json.user).toEqual({ id: first.json.user.id, email: "mover.new@example.com" });

    const other = await post({ externalUserId: "ext-other", email: "other@example.com", externalProjectId: "proj-other-user", projectName: "Other" });
    expect(other.status).toBe(200);
    const taken = await post({ email: "Other@Example.com" });
    expect([taken.status, taken.json.code]).toEqual([409, "already_exists"]);
    // An account that is not this external user's, made any other way, is someone else's too.
    await prisma().user.create({ data: { id: "native-user", email: "native@example.com", name: "Native", emailVerified: true } });
    const native = await post({ externalUserId: "ext-newcomer", email: "Native@Example.com" });
    expect([native.status, native.json.code]).toEqual([409, "already_exists"]);
    expect(await prisma().user.count({ where: { id: "embed_ext-newcomer" } })).toBe(0);
    const nameTaken = await post({ projectName: "Mover", externalProjectId: "proj-other" });
    expect([nameTaken.status, nameTaken.json.code]).toEqual([409, "already_exists"]);
    expect(await prisma().project.count({ where: { orgId: w.a.id, externalId: "proj-other" } })).toBe(0);
    expect((await prisma().user.findUnique({ where: { id: first.json.user.id } }))?.email).toBe("mover.new@example.com");
  });

  it("refuses a bad signature, an expired token, and claims that do not validate", async () => {
    const bad = await call(provision.POST, "POST", "/api/embed/provision", { headers: { authorization: `Bearer ${await sign(claims(), "another-key-another-key-another-key-0000")}` } });
    expect(bad.status).toBe(401);
    const expired = await call(provision.POST, "POST", "/api/embed/provision", { headers: { authorization: `Bearer ${await sign(claims(), SECRET, "-1m")}` } });
    expect(expired.status).toBe(401);
    const invalid = await call(provision.POST, "POST", "/api/embed/provision", { headers: { authorization: `Bearer ${await sign({ ...claims(), concurrencyPoolLimit: 0 })}` } });
    expect([invalid.status, invalid.json.errors[0].field]).toEqual([422, "concurrencyPoolLimit"]);
    const none = await call(provision.POST, "POST", "/api/embed/provision");
    expect(none.status).toBe(401);
  });
});

describe("audit and metrics", () => {
  it("records who changed what, before and after; org admins read their org's, platform admins all", async () => {
    const w = await apiWorld("audit");
    await call(fairOrg.PUT, "PUT", `/api/fair-scheduler/orgs/${w.a.id}`, { token: w.tokens.platformAdmin, params: { orgId: w.a.id }, body: { weight: 4 } });
    const mine = await call(audit.GET, "GET", `/api/audit?orgId=${w.a.id}`, { token: w.tokens.adminA });
    expect(mine.json.items[0]).toMatchObject({ action: "org.concurrency.update", actor: "token:ops-audit", before: { weight: 1 }, after: { weight: 4 }, orgId: w.a.id, orgName: "A audit" });
    const all = await call(audit.GET, "GET", "/api/audit", { token: w.tokens.adminA });
    expect(all.json.items.every((e: { orgId: string }) => e.orgId === w.a.id)).toBe(true);
  });

  it("serves Prometheus text with in-flight, queued and drift gauges", async () => {
    const w = await apiWorld("metrics");
    const res = await call(metricsRoute.GET, "GET", "/api/metrics", { token: w.tokens.platformAdmin });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    for (const name of ["slotwise_in_flight", "slotwise_queued", "slotwise_counter_drift 0", "slotwise_lease_expiries_total", "slotwise_kills_total", "slotwise_dispatch_seconds_bucket"]) {
      expect(res.text).toContain(name);
    }
  });
});
