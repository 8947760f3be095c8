import { beforeAll, describe, expect, it } from "vitest";
import * as audit from "../../app/api/audit/route";
import { issueOrgToken, revokeTokenById } from "../../lib/auth/token-admin";
import { prisma } from "../../lib/db/client";
import { forceExecution } from "../../lib/dispatch/force";
import { submitExecution } from "../../lib/dispatch/submit";
import { createFlow, deleteFlow, flowCreate, updateFlow } from "../../lib/flows/flows";
import { createTrigger, deleteTrigger } from "../../lib/flows/triggers";
import { createKeyRule, deleteKeyOverride, deleteKeyRule, keyRuleCreate, putKeyOverride, updateKeyRule } from "../../lib/keys/rules";
import { updateOrgLimits } from "../../lib/orgs/limits";
import { createOrg, deleteOrg, orgCreate, renameOrg } from "../../lib/orgs/orgs";
import { updateParallelSettings } from "../../lib/orgs/parallel-settings";
import { updateOrgConcurrency } from "../../lib/orgs/update-org";
import { updatePlatformSettings } from "../../lib/platform/platform-settings";
import { createPool, deletePool, updatePool } from "../../lib/projects/pools";
import { createProject, deleteProject, updateProject } from "../../lib/projects/projects";
import { createQueue, deleteQueue } from "../../lib/queues/queues";
import { addMember, memberAdd, removeMember, updateMember } from "../../lib/users/members";
import { apiWorld, call } from "./helpers/api";
import { db } from "./helpers/fixtures";

// GET /api/audit: every entry names its object as it was called at the change, and the log
// filters by who, what and which object, page by page, within the caller's scope.

type World = Awaited<ReturnType<typeof apiWorld>>;
type Entry = { id: number; orgId: string | null; actor: string; action: string; entityType: string; entityId: string; entityName: string | null; entityNameNow: string | null };

const read = async (query: string, token: string | null) => {
  const res = await call(audit.GET, "GET", `/api/audit?${query}`, { token });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as { items: Entry[]; nextBefore: number | null };
};
/** "action type name", newest first: how a person reads the log. */
const lines = (items: Entry[]) => items.map((e) => `${e.action} ${e.entityType} ${e.entityName ?? "(none)"}`);

describe("every entry names its object", () => {
  let w: World;
  const actor = "admin@names.dev";
  beforeAll(async () => {
    w = await apiWorld("names");
  });

  it("for each kind of object, as called at the change, still after it is renamed and deleted", async () => {
    const org = w.a.id;
    const project = (await createProject(prisma(), org, { name: "Billing" }, actor))!;
    await updateProject(prisma(), org, project.id, { name: "Invoicing" }, actor);
    const flow = (await createFlow(prisma(), org, flowCreate.parse({ name: "etl", projectId: project.id }), actor))!;
    await updateFlow(prisma(), org, flow.id, { name: "etl-v2" }, actor);
    const queue = (await createQueue(prisma(), org, { name: "nightly" }, actor))!;
    const pool = (await createPool(prisma(), org, { key: "shared", limit: 2 }, actor))!;
    await updatePool(prisma(), org, pool.id, { key: "shared-eu" }, actor);
    const trigger = (await createTrigger(prisma(), org, { name: "every night", flowId: flow.id, type: "schedule" }, actor))!;
    const rule = (await createKeyRule(prisma(), org, keyRuleCreate.parse({ name: "/customerId", key: { source: "payload", path: "/customerId" }, limit: 2 }), actor))!;
    await putKeyOverride(prisma(), org, rule.id, { key: "acme", limit: 5 }, actor);
    await updateKeyRule(prisma(), org, rule.id, { name: "per customer" }, actor);
    await deleteKeyOverride(prisma(), org, rule.id, "acme", actor);
    const alice = await addMember(prisma(), org, memberAdd.parse({ email: "Alice@Example.com", password: "long-enough" }), actor);
    await updateMember(prisma(), org, alice.userId, { role: "ADMIN" }, actor);
    await removeMember(prisma(), org, alice.userId, actor);
    const token = await issueOrgToken(prisma(), org, { name: "ci-deploy" }, actor);
    await revokeTokenById(prisma(), token.id, org, actor);
    await updateOrgConcurrency(prisma(), org, { weight: 3 }, actor);
    await updateParallelSettings(db(), org, { jobs: 5 }, actor);
    await updateOrgLimits(prisma(), org, { maxQueued: 100 }, actor);
    await renameOrg(prisma(), org, { name: "A renamed" }, actor);
    const execution = await submitExecution(db(), { orgId: org, projectId: w.a.projectId, payload: { customerId: "acme" } });
    await forceExecution(db(), { executionId: execution.id, orgId: org, actor, reason: "incident" });
    await deleteTrigger(prisma(), org, trigger.id, actor);
    await deleteKeyRule(prisma(), org, rule.id, actor);
    await deletePool(prisma(), org, pool.id, actor);
    await deleteQueue(prisma(), org, queue.id, actor);
    await deleteFlow(db(), org, flow.id, actor);
    await deleteProject(db(), org, project.id, actor);

    const log = await read(`orgId=${org}&actor=${encodeURIComponent(actor)}&limit=200`, w.tokens.adminA);
    expect(lines(log.items).reverse()).toEqual([
      "project.create project Billing",
      "project.update project Invoicing",
      "flow.create flow etl",
      "flow.update flow etl-v2",
      "queue.create queue nightly",
      "pool.create pool shared",
      "pool.update pool shared-eu",
      "trigger.create trigger every night",
      "key_rule.create key_rule /customerId",
      "key_override.put key_rule /customerId",
      "key_rule.update key_rule per customer",
      "key_override.delete key_rule per customer",
      "membership.create membership alice@example.com",
      "membership.update membership alice@example.com",
      "membership.delete membership alice@example.com",
      "token.create api_token ci-deploy",
      "token.revoke api_token ci-deploy",
      "org.concurrency.update organization A names",
      "org.parallel_settings.update organization A names",
      "org.limits.update organization A names",
      "organization.update organization A renamed",
      "execution.force execution (none)",
      "trigger.delete trigger every night",
      "key_rule.delete key_rule per customer",
      "pool.delete pool shared-eu",
      "queue.delete queue nightly",
      "flow.delete flow etl-v2",
      "project.delete project Invoicing",
    ]);
    // The rename itself says what the name was.
    const renamed = log.items.find((e) => e.action === "project.update")!;
    expect(renamed).toMatchObject({ before: { name: "Billing" }, after: { name: "Invoicing" } });
    // What it is called today, beside: only for what still exists and was renamed since.
    const now = log.items.filter((e) => e.entityNameNow !== null).map((e) => `${e.action} ${e.entityName} → ${e.entityNameNow}`);
    expect(now).toEqual([
      "org.limits.update A names → A renamed",
      "org.parallel_settings.update A names → A renamed",
      "org.concurrency.update A names → A renamed",
    ]);
    // A family with "_" in it: key_rule.*, not key_override.* (same type of object).
    const rules = await read(`orgId=${org}&action=key_rule`, w.tokens.adminA);
    expect(rules.items.map((e) => e.action)).toEqual(["key_rule.delete", "key_rule.update", "key_rule.create"]);
  });

  it("platform settings, and an org's own history once the org is deleted (in the platform log)", async () => {
    const ops = "token:ops-names";
    await updatePlatformSettings(prisma(), { globalCapacity: 77 }, ops);
    const created = (await createOrg(prisma(), orgCreate.parse({ name: "Short lived" }), ops))!;
    await deleteOrg(db(), created.id, ops);

    const platform = await read("entityType=platform", w.tokens.platformAdmin);
    expect(lines(platform.items)[0]).toBe("platform.settings.update platform settings");
    const history = await read(`entityId=${created.id}`, w.tokens.platformAdmin);
    expect(history.items.map((e) => [e.orgId, e.action, e.entityName])).toEqual([
      [null, "organization.delete", "Short lived"],
      [null, "organization.create", "Short lived"],
    ]);
  });

  it("rows written before names were recorded come back with none, and the name today where the object still exists", async () => {
    const queue = (await createQueue(prisma(), w.a.id, { name: "still here" }, actor))!;
    await db().query(
      "INSERT INTO audit_event (org_id, actor, action, entity_type, entity_id) VALUES ($1, 'old@names.dev', 'flow.update', 'flow', 'not-a-uuid'), ($1, 'old@names.dev', 'queue.update', 'queue', $2)",
      [w.a.id, queue.id],
    );
    const old = await read(`orgId=${w.a.id}&actor=old@names.dev`, w.tokens.adminA);
    expect(old.items.map((e) => [e.entityId, e.entityName, e.entityNameNow])).toEqual([[queue.id, null, "still here"], ["not-a-uuid", null, null]]);
  });
});

describe("filters", () => {
  let w: World;
  let flowId: string;
  beforeAll(async () => {
    w = await apiWorld("filters");
    const p = (await createProject(prisma(), w.a.id, { name: "Reports" }, "carol@filters.dev"))!;
    const f = (await createFlow(prisma(), w.a.id, flowCreate.parse({ name: "Nightly_ETL", projectId: p.id }), "carol@filters.dev"))!;
    flowId = f.id;
    for (let limit = 2; limit <= 8; limit++) {
      await updateFlow(prisma(), w.a.id, flowId, { concurrency: { limit } }, "dave@filters.dev");
      await updateProject(prisma(), w.a.id, p.id, { maxConcurrentJobs: limit }, "carol@filters.dev");
    }
    await updateOrgConcurrency(prisma(), w.a.id, { weight: 2 }, "dave@filters.dev");
    await updateOrgLimits(prisma(), w.a.id, { maxQueued: 10 }, "dave@filters.dev");
    await renameOrg(prisma(), w.a.id, { name: "A filters, renamed" }, "dave@filters.dev");
    // The same people in org B: out of an org A admin's sight.
    await createProject(prisma(), w.b.id, { name: "B's project" }, "dave@filters.dev");
    await updatePlatformSettings(prisma(), { globalCapacity: 55 }, "dave@filters.dev");
  });

  it("by who, exactly", async () => {
    const dave = await read(`orgId=${w.a.id}&actor=dave@filters.dev&limit=200`, w.tokens.adminA);
    expect(dave.items).toHaveLength(10);
    expect(dave.items.every((e) => e.actor === "dave@filters.dev")).toBe(true);
    expect((await read(`orgId=${w.a.id}&actor=dave`, w.tokens.adminA)).items).toEqual([]);
  });

  it("by what: one action, or a family of them (whole segments only)", async () => {
    const one = await read(`orgId=${w.a.id}&action=flow.update&limit=200`, w.tokens.adminA);
    expect(new Set(one.items.map((e) => e.action))).toEqual(new Set(["flow.update"]));
    expect(one.items).toHaveLength(7);
    const flows = await read(`orgId=${w.a.id}&action=flow&limit=200`, w.tokens.adminA);
    expect(new Set(flows.items.map((e) => e.action))).toEqual(new Set(["flow.create", "flow.update"]));
    // "org" is org.concurrency.*, org.limits.* …, not organization.update.
    const org = await read(`orgId=${w.a.id}&action=org&limit=200`, w.tokens.adminA);
    expect(org.items.map((e) => e.action)).toEqual(["org.limits.update", "org.concurrency.update"]);
    expect((await read(`orgId=${w.a.id}&action=flow.upd`, w.tokens.adminA)).items).toEqual([]);
  });

  it("by object: its type, its id, or part of its name (any case, wildcards taken literally)", async () => {
    const projects = await read(`orgId=${w.a.id}&entityType=project&limit=200`, w.tokens.adminA);
    expect(projects.items).toHaveLength(8);
    expect(projects.items.every((e) => e.entityType === "project" && e.entityName === "Reports")).toBe(true);
    const history = await read(`entityId=${flowId}&limit=200`, w.tokens.adminA);
    expect(history.items).toHaveLength(8);
    expect(history.items.at(-1)!.action).toBe("flow.create");
    const byName = await read(`orgId=${w.a.id}&q=${encodeURIComponent("  nightly_etl ")}&limit=200`, w.tokens.adminA);
    expect(byName.items.map((e) => e.entityId)).toEqual(history.items.map((e) => e.entityId));
    // "_" and "%" are characters of a name here, not LIKE wildcards.
    expect((await read(`orgId=${w.a.id}&q=Nightly%25ETL`, w.tokens.adminA)).items).toEqual([]);
    expect((await read(`orgId=${w.a.id}&q=Report_`, w.tokens.adminA)).items).toEqual([]);
    expect((await read(`orgId=${w.a.id}&q=${encodeURIComponent("A filters")}&entityType=organization`, w.tokens.adminA)).items.map((e) => e.entityName)).toEqual([
      "A filters, renamed",
      "A filters",
      "A filters",
    ]);
  });

  it("pages through a filtered log with the same cursor: every match once, newest first", async () => {
    const all = await read(`orgId=${w.a.id}&actor=carol@filters.dev&limit=200`, w.tokens.adminA);
    expect(all.items).toHaveLength(9);
    const seen: Entry[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const page = await read(`orgId=${w.a.id}&actor=carol@filters.dev&limit=4${before ? `&before=${before}` : ""}`, w.tokens.adminA);
      seen.push(...page.items);
      before = page.nextBefore;
      pages++;
    } while (before !== null);
    expect(pages).toBe(3);
    expect(seen.map((e) => e.id)).toEqual(all.items.map((e) => e.id));
    expect(seen.every((e) => e.actor === "carol@filters.dev")).toBe(true);
    // Filters narrow: the cursor of one filtered page continues that filter, not the whole log.
    const combined = await read(`orgId=${w.a.id}&actor=dave@filters.dev&entityType=flow&limit=3`, w.tokens.adminA);
    const next = await read(`orgId=${w.a.id}&actor=dave@filters.dev&entityType=flow&limit=3&before=${combined.nextBefore}`, w.tokens.adminA);
    expect([...combined.items, ...next.items].every((e) => e.entityType === "flow" && e.actor === "dave@filters.dev")).toBe(true);
    expect(next.items[0]!.id).toBeLessThan(combined.items.at(-1)!.id);
  });

  it("keeps the scope: an org admin filters their orgs' entries only; platform admins everything", async () => {
    const mine = await read("actor=dave@filters.dev&limit=200", w.tokens.adminA);
    expect(mine.items.length).toBe(10);
    expect(mine.items.every((e) => e.orgId === w.a.id)).toBe(true);
    expect((await read("entityType=platform", w.tokens.adminA)).items).toEqual([]);
    const everything = await read("actor=dave@filters.dev&limit=200", w.tokens.platformAdmin);
    expect(new Set(everything.items.map((e) => e.orgId))).toEqual(new Set([w.a.id, w.b.id, null]));
    expect((await call(audit.GET, "GET", `/api/audit?orgId=${w.b.id}&actor=dave@filters.dev`, { token: w.tokens.adminA })).status).toBe(404);
    expect((await call(audit.GET, "GET", `/api/audit?orgId=${w.a.id}&actor=dave@filters.dev`, { token: w.tokens.memberA })).status).toBe(403);
  });

  it("refuses a filter it cannot apply with 422 naming the field", async () => {
    const cases: [string, string][] = [
      ["entityType=widget", "entityType"],
      ["action=Flow%20Update", "action"],
      ["action=flow.", "action"],
      ["actor=", "actor"],
      [`q=${"x".repeat(201)}`, "q"],
      ["entityId=%20", "entityId"],
      ["before=abc", "before"],
      ["who=dave", "who"],
    ];
    for (const [query, field] of cases) {
      const res = await call(audit.GET, "GET", `/api/audit?orgId=${w.a.id}&${query}`, { token: w.tokens.adminA });
      expect([query, res.status, res.json.code, res.json.errors?.map((e: { field: string }) => e.field)]).toEqual([query, 422, "validation_failed", [`query.${field}`]]);
    }
  });
});
