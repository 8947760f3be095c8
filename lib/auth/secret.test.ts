import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "../core/env";
import { DEV_ONLY_SECRET, authSecret } from "./secret";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

function withEnv(values: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
  resetEnvCache();
}

describe("authSecret", () => {
  it("uses BETTER_AUTH_SECRET when set", () => {
    withEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: "x".repeat(32) });
    expect(authSecret()).toBe("x".repeat(32));
  });

  it("falls back to the development secret outside production", () => {
    withEnv({ NODE_ENV: "development", BETTER_AUTH_SECRET: undefined });
    expect(authSecret()).toBe(DEV_ONLY_SECRET);
  });

  it("refuses production without a secret, saying it is missing", () => {
    withEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: undefined });
    expect(() => authSecret()).toThrow(/BETTER_AUTH_SECRET must be set/);
    expect(() => authSecret()).not.toThrow(/at least 32 characters/);
  });

  it("rejects a short secret, saying it is too short (not missing)", () => {
    withEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: "short" });
    expect(() => authSecret()).toThrow(/BETTER_AUTH_SECRET: must be at least 32 characters/);
    expect(() => authSecret()).not.toThrow(/must be set/);
  });
});
