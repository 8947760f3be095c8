import { describe, expect, it } from "vitest";
import { auditChanges, describeAction } from "./audit-format";

describe("audit log in words", () => {
  it("names the known actions and leaves unknown ones as they are", () => {
    expect(describeAction("org.concurrency.update")).toBe("Organization concurrency updated");
    expect(describeAction("org.parallel_settings.update")).toBe("Parallel execution settings updated");
    expect(describeAction("pool.delete")).toBe("Concurrency pool deleted");
    expect(describeAction("something.new")).toBe("something.new");
  });

  it("lists each field before → after; a creation has nothing before, a deletion nothing after", () => {
    expect(auditChanges({ weight: 1 }, { weight: 4 })).toEqual([{ field: "weight", before: "1", after: "4" }]);
    expect(auditChanges(null, { name: "etl", concurrency: { limit: 2, behavior: "QUEUE" } })).toEqual([
      { field: "name", before: "—", after: "etl" },
      { field: "concurrency", before: "—", after: '{"limit":2,"behavior":"QUEUE"}' },
    ]);
    expect(auditChanges({ limit: 3 }, null)).toEqual([{ field: "limit", before: "3", after: "—" }]);
    expect(auditChanges(null, null)).toEqual([]);
  });
});
