import type { KeyValue } from "../dispatch/policy/scopes";

// Which key an execution has under each concurrency key rule, decided once at submit
// (docs/limits.md, "Concurrency keys"): the submission's own concurrencyKey, or the value its
// payload has at the rule's JSON pointer. Pure, so the same code checks a rule's path when it
// is written and reads it when work is submitted.

export type KeySource = "submission" | "payload";

export interface KeyRuleRef {
  id: string;
  name: string;
  source: KeySource;
  /** A JSON pointer (RFC 6901) into the payload, for source "payload". */
  path: string | null;
}

export interface FieldIssue {
  field: string;
  message: string;
}

export const MAX_KEY_LENGTH = 200;
const MAX_POINTER_SEGMENTS = 16;

/** The segments of a JSON pointer, or null when `path` is not one ("/customerId", "/a/b~1c"). */
export function parsePointer(path: string): string[] | null {
  if (!path.startsWith("/") || path.length > MAX_KEY_LENGTH) return null;
  const segments = path.slice(1).split("/");
  if (segments.length > MAX_POINTER_SEGMENTS || segments.some((s) => s === "" || /~(?![01])/.test(s))) return null;
  return segments.map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The value at a JSON pointer, or undefined when the payload has nothing there. */
export function readPointer(payload: unknown, segments: readonly string[]): unknown {
  let at: unknown = payload;
  for (const segment of segments) {
    if (Array.isArray(at)) {
      if (!/^(0|[1-9]\d*)$/.test(segment)) return undefined;
      at = at[Number(segment)];
    } else if (at !== null && typeof at === "object" && Object.hasOwn(at, segment)) {
      at = (at as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return at;
}

/** A key is a string, a number or a boolean (as text), at most MAX_KEY_LENGTH characters. */
export function asKey(value: unknown): string | null {
  const text = typeof value === "string" ? value : typeof value === "number" && Number.isFinite(value) ? String(value) : typeof value === "boolean" ? String(value) : null;
  return text !== null && text.length > 0 && text.length <= MAX_KEY_LENGTH ? text : null;
}

/**
 * The submission's key under each rule, in rule order; every rule that cannot find one is an
 * issue naming where it looked (the execution is refused: a rule limits all it covers).
 */
export function keyValuesFor(
  rules: readonly KeyRuleRef[],
  submission: { concurrencyKey?: string | null; payload?: unknown },
): { keys: KeyValue[]; issues: FieldIssue[] } {
  const keys: KeyValue[] = [];
  const issues: FieldIssue[] = [];
  for (const rule of rules) {
    if (rule.source === "submission") {
      const value = asKey(submission.concurrencyKey);
      if (value === null) issues.push({ field: "concurrencyKey", message: `required: concurrency key rule "${rule.name}" limits this execution per concurrencyKey` });
      else keys.push({ ruleId: rule.id, value });
      continue;
    }
    const segments = rule.path === null ? null : parsePointer(rule.path);
    const value = segments === null ? null : asKey(readPointer(submission.payload ?? {}, segments));
    if (value === null) {
      issues.push({ field: `payload${rule.path ?? ""}`, message: `concurrency key rule "${rule.name}" reads its key here: give a string, number or boolean of at most ${MAX_KEY_LENGTH} characters` });
    } else {
      keys.push({ ruleId: rule.id, value });
    }
  }
  return { keys, issues };
}
