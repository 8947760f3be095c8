import { defineConfig } from "prisma/config";

// Used by the Prisma CLI (generate, and migrate where its engine can be downloaded).
// The app itself reads DATABASE_URL through lib/core/env.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/slotwise" },
});
