import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "./env";

const touched = ["PORT", "APP_URL", "DATABASE_POOL_SIZE"] as const;
const saved = Object.fromEntries(touched.map((key) => [key, process.env[key]]));
afterEach(() => {
  for (const key of touched) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetEnvCache();
});

function withEnv(vars: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
  return env();
}

describe("env()", () => {
  it("defaults APP_URL to localhost on PORT, so sign-in works on another port without setting both", () => {
    expect(withEnv({ PORT: "3700", APP_URL: undefined }).APP_URL).toBe("http://localhost:3700");
    expect(withEnv({ PORT: undefined, APP_URL: undefined }).APP_URL).toBe("http://localhost:3000");
    expect(withEnv({ PORT: "3700", APP_URL: "https://slotwise.example.com" }).APP_URL).toBe("https://slotwise.example.com");
  });

  it("names the variable when a value is invalid", () => {
    expect(() => withEnv({ DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE/);
  });
});
