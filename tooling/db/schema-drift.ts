import { createRequire } from "node:module";
import type pg from "pg";

// Compares what schema.prisma describes with what the migrations built, column by column:
// tables, columns, types (including native types such as uuid and timestamptz precision),
// nullability, enum values and foreign keys (columns, target and ON DELETE action). Prisma's own `migrate diff` needs the schema engine binary,
// which cannot be downloaded here; the schema is parsed with Prisma's WASM parser instead.

export interface ColumnShape {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
}

export interface DatabaseShape {
  columns: ColumnShape[];
  enums: Record<string, string[]>;
  /** One line per foreign key, e.g. `execution(org_id) -> organization(id) ON DELETE CASCADE`. */
  foreignKeys: string[];
}

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}

interface Dmmf {
  datamodel: {
    models: { name: string; dbName: string | null; fields: DmmfField[] }[];
    enums: { name: string; dbName?: string | null; values: { name: string; dbName: string | null }[] }[];
  };
}

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "int4",
  BigInt: "int8",
  Boolean: "bool",
  DateTime: "timestamp(3)",
  Json: "jsonb",
  Float: "float8",
  Decimal: "numeric(65,30)",
  Bytes: "bytea",
};

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Uuid: () => "uuid",
  Text: () => "text",
  Timestamptz: (args) => `timestamptz(${args[0] ?? 6})`,
  Timestamp: (args) => `timestamp(${args[0] ?? 6})`,
  Integer: () => "int4",
  BigInt: () => "int8",
  SmallInt: () => "int2",
  VarChar: (args) => (args[0] ? `varchar(${args[0]})` : "varchar"),
  JsonB: () => "jsonb",
  Json: () => "json",
};

export function expectedShape(prismaSchema: string): DatabaseShape {
  const require = createRequire(import.meta.url);
  const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };
  const dmmf = JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema }))) as Dmmf;
  const enumDbNames = new Map(dmmf.datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));

  const columns: ColumnShape[] = [];
  for (const model of dmmf.datamodel.models) {
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      let type: string;
      if (field.kind === "enum") {
        type = enumDbNames.get(field.type) ?? field.type;
      } else if (field.nativeType) {
        const [native, args] = field.nativeType;
        const render = NATIVE_TYPES[native];
        if (!render) throw new Error(`schema-drift: no mapping for native type @db.${native}`);
        type = render(args);
      } else {
        const scalar = SCALAR_TYPES[field.type];
        if (!scalar) throw new Error(`schema-drift: no mapping for Prisma type ${field.type}`);
        type = scalar;
      }
      columns.push({
        table: model.dbName ?? model.name,
        column: field.dbName ?? field.name,
        type: field.isList ? `${type}[]` : type,
        // Prisma creates scalar lists as nullable columns but never writes NULL; we declare
        // them NOT NULL, which is stricter, so list nullability is not compared.
        nullable: field.isList ? false : !field.isRequired,
      });
    }
  }
  columns.push(...unsupportedColumns(prismaSchema, dmmf));
  const enums: Record<string, string[]> = {};
  for (const e of dmmf.datamodel.enums) enums[e.dbName ?? e.name] = e.values.map((v) => v.dbName ?? v.name);
  return { columns, enums, foreignKeys: expectedForeignKeys(dmmf) };
}

/**
 * Fields of type Unsupported("…") (such as an xid8 column) are left out of the DMMF: read them
 * from the schema's text, model by model. Their database type is the one named.
 */
function unsupportedColumns(prismaSchema: string, dmmf: Dmmf): ColumnShape[] {
  const columns: ColumnShape[] = [];
  for (const [, model, body] of prismaSchema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const table = dmmf.datamodel.models.find((m) => m.name === model)?.dbName ?? model!;
    for (const [, name, type, optional, rest] of body!.matchAll(/^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?([^\n]*)$/gm)) {
      columns.push({ table, column: /@map\("([^"]+)"\)/.exec(rest!)?.[1] ?? name!, type: type!, nullable: optional === "?" });
    }
  }
  return columns;
}

const ON_DELETE: Record<string, string> = { Cascade: "CASCADE", SetNull: "SET NULL", Restrict: "RESTRICT", NoAction: "NO ACTION", SetDefault: "SET DEFAULT" };

function foreignKeyLine(table: string, columns: readonly string[], target: string, targetColumns: readonly string[], onDelete: string): string {
  return `${table}(${columns.join(", ")}) -> ${target}(${targetColumns.join(", ")}) ON DELETE ${onDelete}`;
}

/** The relation fields that own a foreign key (those with `fields:`), as the database would spell them. */
function expectedForeignKeys(dmmf: Dmmf): string[] {
  const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
  const tableOf = (name: string) => models.get(name)!.dbName ?? name;
  const columnOf = (model: string, field: string) => models.get(model)!.fields.find((f) => f.name === field)?.dbName ?? field;
  return dmmf.datamodel.models.flatMap((model) =>
    model.fields
      .filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0)
      .map((f) => {
        // Prisma's default when onDelete is not given: SetNull for optional relations, Restrict for required ones.
        const onDelete = ON_DELETE[f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull")]!;
        return foreignKeyLine(
          tableOf(model.name),
          f.relationFromFields!.map((c) => columnOf(model.name, c)),
          tableOf(f.type),
          f.relationToFields!.map((c) => columnOf(f.type, c)),
          onDelete,
        );
      }),
  ).sort();
}

export async function actualShape(client: pg.ClientBase, ignoreTables: string[] = ["_prisma_migrations"]): Promise<DatabaseShape> {
  const { rows } = await client.query<{
    table_name: string;
    column_name: string;
    udt_name: string;
    is_nullable: "YES" | "NO";
    datetime_precision: number | null;
    character_maximum_length: number | null;
  }>(
    `SELECT table_name, column_name, udt_name, is_nullable, datetime_precision, character_maximum_length
       FROM information_schema.columns
      WHERE table_schema = current_schema()
      ORDER BY table_name, ordinal_position`,
  );
  const columns = rows
    .filter((r) => !ignoreTables.includes(r.table_name))
    .map((r) => {
      const isList = r.udt_name.startsWith("_");
      let type = isList ? r.udt_name.slice(1) : r.udt_name;
      if (type === "timestamptz" || type === "timestamp") type = `${type}(${r.datetime_precision ?? 6})`;
      if (type === "varchar" && r.character_maximum_length) type = `varchar(${r.character_maximum_length})`;
      return {
        table: r.table_name,
        column: r.column_name,
        type: isList ? `${type}[]` : type,
        nullable: isList ? false : r.is_nullable === "YES",
      };
    });
  const enumRows = await client.query<{ name: string; label: string }>(
    `SELECT t.typname AS name, e.enumlabel AS label
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema()
      ORDER BY t.typname, e.enumsortorder`,
  );
  const enums: Record<string, string[]> = {};
  for (const r of enumRows.rows) (enums[r.name] ??= []).push(r.label);
  const keyRows = await client.query<{ table_name: string; columns: string[]; target: string; target_columns: string[]; on_delete: string }>(
    `SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS target,
            array(SELECT attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
            array(SELECT attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS target_columns,
            CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'r' THEN 'RESTRICT' WHEN 'a' THEN 'NO ACTION' ELSE 'SET DEFAULT' END AS on_delete
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  const foreignKeys = keyRows.rows
    .filter((r) => !ignoreTables.includes(unquote(r.table_name)))
    .map((r) => foreignKeyLine(unquote(r.table_name), r.columns, unquote(r.target), r.target_columns, r.on_delete))
    .sort();
  return { columns, enums, foreignKeys };
}

/** regclass::text quotes names that need it ("user"). */
function unquote(name: string): string {
  return name.replace(/^"(.*)"$/, "$1");
}

/** Human-readable differences; empty when the database matches the schema. */
export function diffShapes(expected: DatabaseShape, actual: DatabaseShape): string[] {
  const problems: string[] = [];
  const key = (c: ColumnShape) => `${c.table}.${c.column}`;
  const actualByKey = new Map(actual.columns.map((c) => [key(c), c]));
  const expectedByKey = new Map(expected.columns.map((c) => [key(c), c]));
  const expectedTables = new Set(expected.columns.map((c) => c.table));
  const actualTables = new Set(actual.columns.map((c) => c.table));

  for (const t of expectedTables) if (!actualTables.has(t)) problems.push(`table ${t} is in schema.prisma but not in the database`);
  for (const t of actualTables) if (!expectedTables.has(t)) problems.push(`table ${t} is in the database but not in schema.prisma`);

  for (const [k, want] of expectedByKey) {
    if (!actualTables.has(want.table)) continue;
    const got = actualByKey.get(k);
    if (!got) {
      problems.push(`column ${k} is in schema.prisma but not in the database`);
      continue;
    }
    if (got.type !== want.type) problems.push(`column ${k} has type ${got.type} in the database, ${want.type} in schema.prisma`);
    if (got.nullable !== want.nullable) {
      problems.push(`column ${k} is ${got.nullable ? "nullable" : "NOT NULL"} in the database, ${want.nullable ? "optional" : "required"} in schema.prisma`);
    }
  }
  for (const [k, got] of actualByKey) {
    if (expectedTables.has(got.table) && !expectedByKey.has(k)) problems.push(`column ${k} is in the database but not in schema.prisma`);
  }

  for (const [name, values] of Object.entries(expected.enums)) {
    const got = actual.enums[name];
    if (!got) problems.push(`enum ${name} is in schema.prisma but not in the database`);
    else if (got.join(",") !== values.join(",")) problems.push(`enum ${name} has values [${got.join(", ")}] in the database, [${values.join(", ")}] in schema.prisma`);
  }
  for (const name of Object.keys(actual.enums)) {
    if (!expected.enums[name]) problems.push(`enum ${name} is in the database but not in schema.prisma`);
  }

  const expectedKeys = new Set(expected.foreignKeys);
  const actualKeys = new Set(actual.foreignKeys);
  for (const fk of expectedKeys) if (!actualKeys.has(fk)) problems.push(`foreign key ${fk} is in schema.prisma but not in the database`);
  for (const fk of actualKeys) if (!expectedKeys.has(fk)) problems.push(`foreign key ${fk} is in the database but not in schema.prisma`);
  return problems;
}
