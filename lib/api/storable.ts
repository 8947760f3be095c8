import type { FieldIssue } from "../core/errors";

// Strings PostgreSQL cannot store: a NUL character (text and jsonb refuse it: 22021, 22P05) and
// an unpaired UTF-16 surrogate (it has no UTF-8 form, so it would be stored as a replacement
// character). Any string in a request — a key or a value, at any depth — that holds one is
// refused with 422 naming where it is, before anything reads or writes it.

export function storableIssue(value: unknown, prefix?: string): FieldIssue | null {
  return walk(value, prefix ? [prefix] : []);
}

function walk(value: unknown, path: string[]): FieldIssue | null {
  if (typeof value === "string") return problemIn(value, path);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const issue = walk(item, [...path, String(i)]);
      if (issue) return issue;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const keyIssue = problemIn(key, [...path, key], "key");
      if (keyIssue) return keyIssue;
      const issue = walk(item, [...path, key]);
      if (issue) return issue;
    }
  }
  return null;
}

function problemIn(text: string, path: string[], what: "key" | "value" = "value"): FieldIssue | null {
  const message = text.includes("\u0000")
    ? `the ${what} contains a NUL character (\\u0000), which cannot be stored`
    : !text.isWellFormed()
      ? `the ${what} contains an unpaired UTF-16 surrogate, which is not valid Unicode`
      : null;
  return message ? { field: fieldName(path), message } : null;
}

/** Dotted path; a character a reader cannot see is written as its escape. */
function fieldName(path: string[]): string {
  return path.join(".").replace(/[\u0000-\u001f\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) || "(root)";
}
