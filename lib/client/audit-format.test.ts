import { describe, expect, it } from "vitest";
import { auditChanges, describeAction, describeObject } from "./audit-format";

describe("audit log in words", () => {
  it("names the known actions and leaves unknown ones as they are", () => {
    expect(describeAction("org.concurrency.update")).toBe("Organization concurrency updated");
    expect(describeAction("org.parallel_settings.update")).toBe("Parallel execution settings updated");
    expect(describeAction("pool.delete")).toBe("Concurrency pool deleted");
    expect(describeAction("membership.create")).toBe("Member created");
    expect(describeAction("token.revoke")).toBe("API token revoked");
    expect(describeAction("key_override.put")).toBe("Key override set");
    expect(describeAction("organization.delete")).toBe("Organization deleted");
    expect(describeAction("executions.kill_matching")).toBe("Executions killed by filter");
    expect(describeAction("something.new")).toBe("something.new");
  });

  it("lists each field before → after; a creation has nothing before, a deletion nothing after", () => {
    expect(auditChanges({ weight: 1 }, { weight: 4 })).toEqual([{ field: "weight", before: "1", after: "4" }]);
    expect(auditChanges(null, { name: "etl", concurrency: { limit: 2, behavior: "QUEUE" } })).toEqual([
      { field: "name", before: "—", after: "etl" },
      { field: "concurrency.limit", before: "—", after: "2" },
      { field: "concurrency.behavior", before: "—", after: "QUEUE" },
    ]);
    expect(auditChanges({ limit: 3 }, null)).toEqual([{ field: "limit", before: "3", after: "—" }]);
    expect(auditChanges(null, null)).toEqual([]);
    // A deleted object's stored row: its name and settings, not its id, org and timestamps again.
    expect(auditChanges({ id: "af7a", name: "etl", org_id: "f7c4", created_at: "2026-12-04", updated_at: "2026-12-04" }, null)).toEqual([{ field: "name", before: "etl", after: "—" }]);
  });

  it("leaves out what did not change and shows nested values field by field, never as JSON", () => {
    // Found in a tour (#18): a role change listed the unchanged email, a rate limit showed as {"limit":…}.
    expect(auditChanges({ email: "a@x.dev", role: "ADMIN" }, { email: "a@x.dev", role: "MEMBER" })).toEqual([{ field: "role", before: "ADMIN", after: "MEMBER" }]);
    expect(auditChanges({ rateLimit: null }, { rateLimit: { limit: 10, periodMs: 1000 } })).toEqual([
      { field: "rateLimit.limit", before: "—", after: "10" },
      { field: "rateLimit.periodMs", before: "—", after: "1000" },
    ]);
    expect(auditChanges({ queues: [] }, { queues: ["a", "b"] })).toEqual([{ field: "queues", before: "none", after: "a, b" }]);
  });

  it("names the object as it was called at the change; without a name, by kind and short id", () => {
    const id = "0b6f2c1e-1111-4222-8333-444455556666";
    expect(describeObject({ entityType: "flow", entityId: id, entityName: "etl" })).toBe("flow etl");
    expect(describeObject({ entityType: "membership", entityId: "u_1", entityName: "alice@example.com" })).toBe("member alice@example.com");
    expect(describeObject({ entityType: "api_token", entityId: id, entityName: "ci-deploy" })).toBe("token ci-deploy");
    expect(describeObject({ entityType: "key_rule", entityId: id, entityName: "/customerId" })).toBe("key rule /customerId");
    expect(describeObject({ entityType: "platform", entityId: "1", entityName: "settings" })).toBe("platform settings");
    expect(describeObject({ entityType: "execution", entityId: id, entityName: null })).toBe("execution 0b6f2c1e");
    expect(describeObject({ entityType: "flow", entityId: id, entityName: null })).toBe("flow 0b6f2c1e");
    expect(describeObject({ entityType: "new_thing", entityId: id, entityName: "x" })).toBe("new thing x");
    expect(describeObject({ entityType: "flow", entityId: id, entityName: "etl", entityNameNow: "etl-v2" })).toBe("flow etl (now etl-v2)");
    expect(describeObject({ entityType: "flow", entityId: id, entityName: null, entityNameNow: "etl" })).toBe("flow 0b6f2c1e (now etl)");
  });
});
