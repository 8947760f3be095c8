import { env } from "../core/env";

// The secret better-auth signs session cookies with. Outside production a fixed value keeps
// development and tests simple; a production server refuses to start without its own
// (lib/server/server.ts checks this at boot).

export const DEV_ONLY_SECRET = "slotwise-development-secret-do-not-use-in-production";

export function authSecret(): string {
  const configured = env().BETTER_AUTH_SECRET;
  if (configured) return configured;
  if (env().NODE_ENV === "production") throw new Error("BETTER_AUTH_SECRET must be set (32+ characters) in production.");
  return DEV_ONLY_SECRET;
}
