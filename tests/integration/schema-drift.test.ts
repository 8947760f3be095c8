import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actualShape, diffShapes, expectedShape, type DatabaseShape } from "../../tooling/db/schema-drift";

// The database here was built by running prisma/migrations (see tests/setup).
describe("schema.prisma and the migrations agree", () => {
  let client: pg.Client;
  let schema: string;
  let migrated: DatabaseShape;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    schema = await readFile("prisma/schema.prisma", "utf8");
    migrated = await actualShape(client);
  });
  afterAll(() => client.end());

  it("has no drift", () => {
    expect(diffShapes(expectedShape(schema), migrated)).toEqual([]);
  });

  it("notices a column added to schema.prisma without a migration", () => {
    const edited = schema.replace(/(model Queue \{\n)/, "$1  color String\n");
    expect(diffShapes(expectedShape(edited), migrated)).toEqual([
      "column queue.color is in schema.prisma but not in the database",
    ]);
  });

  it("notices a nullability or type change and a missing model", () => {
    const edited = schema
      .replace("  name        String\n  /// Higher goes first", "  name        String?\n  /// Higher goes first")
      .replace(/weight(\s+)Int(\s+)@default\(1\)/, "weight$1BigInt$2@default(1)")
      .replace(/model Trigger \{[\s\S]*?\n\}\n/, "")
      .replace(/\n  trigger     Trigger\?[^\n]*/, "")
      .replace(/\n  triggers\s+Trigger\[\][^\n]*/g, "")
      .replace(/\n  triggerId\s+String\?[^\n]*/, "");
    const problems = diffShapes(expectedShape(edited), migrated);
    expect(problems).toContain("column queue.name is NOT NULL in the database, optional in schema.prisma");
    expect(problems).toContain("column organization.weight has type int4 in the database, int8 in schema.prisma");
    expect(problems).toContain("table trigger is in the database but not in schema.prisma");
    expect(problems).toContain("column execution.trigger_id is in the database but not in schema.prisma");
  });

  it("notices a foreign key that differs from its relation, or that only one side has", () => {
    const edited = schema
      .replace(/(\n  trigger\s+Trigger\?\s+@relation\(fields: \[triggerId\], references: \[id\], onDelete: )SetNull/, "$1Cascade")
      .replace(/(model ExecutionTransition \{\n)/, "$1  execution Execution @relation(fields: [executionId], references: [id], onDelete: Cascade)\n")
      .replace(/(\n  children\s+Execution\[\][^\n]*)/, "$1\n  history ExecutionTransition[]");
    expect(diffShapes(expectedShape(edited), migrated)).toEqual([
      "foreign key execution(trigger_id) -> trigger(id) ON DELETE CASCADE is in schema.prisma but not in the database",
      "foreign key execution_transition(execution_id) -> execution(id) ON DELETE CASCADE is in schema.prisma but not in the database",
      "foreign key execution(trigger_id) -> trigger(id) ON DELETE SET NULL is in the database but not in schema.prisma",
    ]);
  });
});
