import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { env } from "../core/env";
import { localHosts } from "../core/local-hosts";
import { log } from "../core/log";
import { prisma } from "../db/client";
import { authSecret } from "./secret";

// People sign in with email and password (better-auth); the session lives in an httpOnly
// cookie. There is no public sign-up: operators create users with the CLI (or embedding
// provisioning does). `platformAdmin` can never be set through better-auth's own endpoints.

export function createAuth(options: { rateLimit: boolean } = { rateLimit: env().AUTH_RATE_LIMIT && env().NODE_ENV === "production" }) {
  return betterAuth({
    appName: "Slotwise",
    baseURL: env().APP_URL,
    secret: authSecret(),
    database: prismaAdapter(prisma(), { provider: "postgresql" }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    user: { additionalFields: { platformAdmin: { type: "boolean", input: false, defaultValue: false, required: false } } },
    // Counted in the database: every app process and instance sees the same count.
    rateLimit: { enabled: options.rateLimit, storage: "database" },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    // Any port of this machine's own addresses is fine in development (the e2e server runs on
    // its own port; people open 127.0.0.1 or the network address too: lib/core/local-hosts.ts).
    trustedOrigins: env().NODE_ENV === "production" ? [env().APP_URL] : [env().APP_URL, ...localHosts().map((host) => `http://${host}:*`)],
    // better-auth's own messages go to the one logger (JSON lines; silent under tests).
    logger: { level: "info", log: (level, message, ...args) => log()[level]({ component: "better-auth", args }, message) },
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const holder = globalThis as typeof globalThis & { __slotwiseAuth?: Auth };

export function auth(): Auth {
  holder.__slotwiseAuth ??= createAuth();
  return holder.__slotwiseAuth;
}
