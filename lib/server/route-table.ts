/**
 * App Router URL matching for the API's route handlers, as Next.js matches them: a pattern is
 * the route's folder path (`/api/orgs/[orgId]/flows`), `[name]` takes one segment, `[...name]`
 * one or more, `(group)` folders are not part of the URL, and where several patterns match a
 * path the most specific wins (at the first segment where they differ, a literal beats
 * `[name]`, which beats `[...name]`). Pure, so the production server's dispatcher and its tests
 * share it (lib/server/app-server.ts).
 */
export type Params = Record<string, string | string[]>;

type Segment = { kind: "literal"; value: string } | { kind: "param"; name: string } | { kind: "rest"; name: string };

export interface RouteTable<T> {
  match(pathname: string): { route: T; params: Params } | null;
}

function parsePattern(pattern: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of pattern.split("/").filter(Boolean)) {
    if (/^\(.+\)$/.test(part)) continue;
    const rest = /^\[\.\.\.([^\]]+)\]$/.exec(part);
    const param = /^\[([^\].]+)\]$/.exec(part);
    // `[[...name]]` (optional catch-all) is refused rather than mismatched: no API route uses it.
    if (part.startsWith("[[") || (part.startsWith("[") && !rest && !param)) throw new Error(`unsupported route segment "${part}" in ${pattern}`);
    segments.push(rest ? { kind: "rest", name: rest[1]! } : param ? { kind: "param", name: param[1]! } : { kind: "literal", value: part });
  }
  const restAt = segments.findIndex((s) => s.kind === "rest");
  if (restAt >= 0 && restAt !== segments.length - 1) throw new Error(`a catch-all must be the last segment: ${pattern}`);
  return segments;
}

const RANK = { literal: 0, param: 1, rest: 2 } as const;

/** Negative when `a` is the more specific pattern. */
function compareSpecificity(a: Segment[], b: Segment[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y) return x ? -1 : 1;
    if (x.kind !== y.kind) return RANK[x.kind] - RANK[y.kind];
  }
  return 0;
}

/** Undefined when the path does not fit, or a segment is not valid percent-encoding. */
function matchSegments(segments: Segment[], parts: string[]): Params | undefined {
  const params: Params = {};
  try {
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (segment.kind === "rest") {
        if (parts.length <= i) return undefined;
        params[segment.name] = parts.slice(i).map(decodeURIComponent);
        return params;
      }
      const part = parts[i];
      if (part === undefined) return undefined;
      if (segment.kind === "literal") {
        if (decodeURIComponent(part) !== segment.value) return undefined;
      } else {
        params[segment.name] = decodeURIComponent(part);
      }
    }
  } catch {
    return undefined;
  }
  return parts.length === segments.length ? params : undefined;
}

export function routeTable<T>(routes: { pattern: string; route: T }[]): RouteTable<T> {
  const parsed = routes
    .map((r) => ({ ...r, segments: parsePattern(r.pattern) }))
    .sort((a, b) => compareSpecificity(a.segments, b.segments));
  const seen = new Map<string, string>();
  for (const r of parsed) {
    const shape = r.segments.map((s) => (s.kind === "literal" ? s.value : s.kind)).join("/");
    const other = seen.get(shape);
    if (other) throw new Error(`${r.pattern} and ${other} match the same paths`);
    seen.set(shape, r.pattern);
  }
  return {
    match(pathname) {
      // Empty segments (`//`, a trailing `/`) match nothing: Next.js answers those itself (a redirect).
      const parts = pathname.split("/").slice(1);
      if (parts.some((p) => p === "")) return null;
      for (const r of parsed) {
        const params = matchSegments(r.segments, parts);
        if (params) return { route: r.route, params };
      }
      return null;
    },
  };
}
