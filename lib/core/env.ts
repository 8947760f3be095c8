import { z } from "zod";

// The one place that reads process.env. Everything else asks `env()` for validated,
// typed configuration; a bad value fails fast with the variable's name.

const intFrom = (fallback: number, min = 0) =>
  z.coerce.number().int().min(min).default(fallback);

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** Postgres to use. Unset: the scripts start an embedded PostgreSQL and set it. */
  DATABASE_URL: z.string().url().optional(),
  /** Where the embedded PostgreSQL keeps its data (git-ignored). */
  SLOTWISE_DATA_DIR: z.string().default(".slotwise"),
  EMBEDDED_PG_PORT: intFrom(54329, 1),
  PORT: intFrom(3000, 1),
  /** What this instance serves (lib/server/server.ts): all, api (the API only, no build needed) or web (the pages). */
  SLOTWISE_ROLE: z.enum(["all", "api", "web"]).default("all"),
  /** `npm start`: how many app processes share PORT (one Node.js process uses one core). Default: lib/server/cluster.ts defaultWebProcesses. */
  WEB_PROCESSES: z.coerce.number().int().min(1).max(64).optional(),
  /** PostgreSQL connections each process may open (the app's pool; LISTEN takes one more). */
  DATABASE_POOL_SIZE: intFrom(20, 1),
  /** Public URL of the app, used by auth for cookies, redirects and allowed origins. Default: http://localhost:PORT. */
  APP_URL: z.string().url().optional(),
  /** Secret for signing session cookies. A fixed development value is used when unset outside production. */
  BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** better-auth's sign-in rate limiting (on in production builds); "false" turns it off, e.g. for end-to-end tests. */
  AUTH_RATE_LIMIT: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),
  /** HS256 key that embedding JWTs (POST /api/embed/provision) must be signed with. */
  EMBED_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  LEASE_TTL_MS: intFrom(30_000, 1_000),
  MAX_ATTEMPTS: intFrom(3, 1),
  /** Environment hard limits for the parallel execution settings (current = min(env, settings)). */
  SLOTWISE_ENV_MAX_JOBS: intFrom(100, 1),
  SLOTWISE_ENV_MAX_WORKFLOWS: intFrom(100, 1),
  SLOTWISE_ENV_MAX_ACCESS_REQUESTS: intFrom(100, 1),
  SLOTWISE_ENV_MAX_PAUSED_SLOTS: intFrom(1000, 0),
  /** How long concurrency samples for the charts are kept. */
  SAMPLE_RETENTION_HOURS: intFrom(24, 1),
  /** How long an idempotency key keeps answering with its first execution (docs/limits.md). */
  IDEMPOTENCY_RETENTION_HOURS: intFrom(24, 1),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
}).transform((vars) => ({ ...vars, APP_URL: vars.APP_URL ?? `http://localhost:${vars.PORT}` }));

export type Env = z.output<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** For tests and scripts that change the environment after the first read. */
export function resetEnvCache(): void {
  cached = undefined;
}

/** The database URL, or a clear error telling how to get one. */
export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm run dev` (it starts an embedded PostgreSQL) or set DATABASE_URL.",
    );
  }
  return url;
}
