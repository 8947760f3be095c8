import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The boundaries between concepts (docs/architecture.md, "Boundaries"), enforced: the pure
// dispatch policy touches no database and no environment; only lib/db imports the generated
// Prisma client; browser code imports only the reply contract, the client layer and a few
// named pure modules.

/** Modules the browser may import besides lib/contract and lib/client: pure, no server code. */
const CLIENT_SAFE = ["dispatch/policy/*", "flows/stuck", "executions/page-trail", "executions/describe-wait", "auth/client", "alerts/thresholds"];

const generatedClient = { group: ["**/generated/prisma/*", "**/generated/prisma"], message: "Only lib/db imports the generated Prisma client: take its types from lib/db/client." };

const ALLOWED = `(?:contract|client)(?:/|$)|${CLIENT_SAFE.map((m) => m.replace("*", "[^/]+")).join("$|")}$`;
const browserMessage = "Browser code imports only lib/contract, lib/client and the pure modules listed in eslint.config.mjs (CLIENT_SAFE).";
const browserCode = [
  { regex: `^@/lib/(?!${ALLOWED})`, message: browserMessage },
  { regex: `^(?:\\.\\./)+lib/(?!${ALLOWED})`, message: browserMessage },
];

// From lib/client/*, its neighbours are "../<concept>": the same allowlist, relative.
const browserNeighbours = { regex: `^\\.\\./(?!${ALLOWED})`, message: browserMessage };

const policy = { group: ["**/db/*", "**/sql/*", "**/core/env", "@prisma/*"], message: "Policy is pure: no database, no SQL, no environment (docs/dispatch.md)." };

// Later blocks override the rule for the files they match, so each carries every pattern that applies.
const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["node_modules/**", ".next/**", ".slotwise/**", "lib/generated/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "e2e/artifacts/**"],
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "no-restricted-imports": ["error", { patterns: [generatedClient] }],
    },
  },
  { files: ["lib/db/**"], rules: { "no-restricted-imports": "off" } },
  {
    files: ["lib/dispatch/policy/**"],
    rules: { "no-restricted-imports": ["error", { paths: [{ name: "pg", message: policy.message }], patterns: [generatedClient, policy] }] },
  },
  {
    files: ["components/**", "app/providers.tsx", "app/login/login-form.tsx", "app/**/error.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: [generatedClient, ...browserCode] }] },
  },
  {
    files: ["lib/client/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [generatedClient, ...browserCode, browserNeighbours] }] },
  },
];

export default config;
