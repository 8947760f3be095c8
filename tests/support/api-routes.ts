import { readdirSync } from "node:fs";
import path from "node:path";

/** Every route handler file under app/api, with its folder path (what `next build` lists in its manifest). */
export function apiRouteFiles(dir = path.resolve("app/api"), prefix = "/api"): { pattern: string; file: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) return apiRouteFiles(at, `${prefix}/${entry.name}`);
    return entry.name === "route.ts" ? [{ pattern: prefix, file: at }] : [];
  });
}
