import fc from "fast-check";

// Values shaped by a JSON Schema (the request bodies of the OpenAPI document), each part of
// them swapped now and then for a value an API gets wrong: strings PostgreSQL cannot store,
// numbers past every limit, the wrong type, ids that name nothing. Most generated bodies are
// valid but for one or two places, so they get past the shape checks and reach the code below.

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  default?: unknown;
}

const nastyStrings = ["a\u0000b", "\u0000", "\ud800", "x\udfffy", "", "   ", "x".repeat(5_000), "🙂 ünïcödé", "' OR 1=1 --", "%00", "../../etc/passwd", "<script>alert(1)</script>"];
const nastyNumbers = [-1, 0, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.5, -0.0001];

export const nasty: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...nastyStrings),
  fc.constantFrom(...nastyNumbers),
  fc.constantFrom(null, true, false, [], {}, [null], { "a\u0000": 1 }, { nested: { deeper: ["\u0000"] } }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** The ids a body can name: every id of the test's world, and the right one for a field of that name. */
export interface IdContext {
  ids: readonly string[];
  byField: Readonly<Record<string, string>>;
}

export function arbitraryFor(schema: JsonSchema, ids: IdContext, depth = 0, field?: string): fc.Arbitrary<unknown> {
  const generic = fc.oneof({ weight: 12, arbitrary: shaped(schema, ids, depth) }, { weight: 1, arbitrary: nasty });
  const known = field === undefined ? undefined : ids.byField[field];
  return known === undefined ? generic : fc.oneof({ weight: 12, arbitrary: fc.constant(known) }, { weight: 1, arbitrary: generic });
}

function shaped(schema: JsonSchema, ids: IdContext, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => shaped(s, ids, depth)));
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ["object"];
  return fc.oneof(...type.map((t) => ofType(t, schema, ids, depth)));
}

function ofType(type: string, schema: JsonSchema, ids: IdContext, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      if (schema.format === "uuid") return fc.oneof(fc.constantFrom(...ids.ids), fc.uuid(), fc.constant("not-a-uuid"));
      if (schema.format === "date-time") return fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constant("yesterday"));
      return fc.oneof(
        { weight: 2, arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) }) },
        { weight: 1, arbitrary: fc.constantFrom(...nastyStrings) },
      );
    case "integer":
      return fc.integer({ min: Math.max(schema.minimum ?? -1_000, -1e9), max: Math.min(schema.maximum ?? 1_000, 1e9) });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return depth > 3 ? fc.constant([]) : fc.array(arbitraryFor(schema.items ?? {}, ids, depth + 1), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    default: {
      if (depth > 3) return fc.constant({});
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const keys = Object.keys(properties);
      if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), nasty, { maxKeys: 3 });
      // An optional field is sent a third of the time, as callers send few of them; a required
      // one is left out rarely, and an unknown one added rarely.
      const absent = fc.constant(undefined);
      return fc
        .record(Object.fromEntries(keys.map((k) => {
          const value = arbitraryFor(properties[k]!, ids, depth + 1, k);
          return [k, required.has(k) ? fc.oneof({ weight: 15, arbitrary: value }, { weight: 1, arbitrary: absent }) : fc.oneof({ weight: 2, arbitrary: absent }, { weight: 1, arbitrary: value })];
        })))
        .map((body) => Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)))
        .chain((body) => fc.oneof({ weight: 12, arbitrary: fc.constant(body) }, { weight: 1, arbitrary: fc.constant({ ...body, unknownField: 1 }) }));
    }
  }
}
