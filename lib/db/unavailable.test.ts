import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("recognizes a refused or broken connection, a server shutting down or full, at any depth of causes", () => {
    expect(isDatabaseUnavailable(withCode("ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")]))).toBe(true);
    expect(isDatabaseUnavailable(withCode("57P01", "terminating connection due to administrator command"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("53300", "sorry, too many clients already"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("08006"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("query failed", { cause: new Error("driver", { cause: withCode("ECONNRESET") }) }))).toBe(true);
    // Prisma's shape: its own code, and its driver adapter's error with a kind.
    expect(isDatabaseUnavailable(withCode("P1001", "Can't reach database server"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("P2028", "Transaction API error: Unable to start a transaction in the given time."))).toBe(true);
    expect(isDatabaseUnavailable(withCode("25006", "cannot execute UPDATE in a read-only transaction"))).toBe(true);
    const adapterError = Object.assign(new Error("DatabaseNotReachable"), { cause: { kind: "DatabaseNotReachable" } });
    expect(isDatabaseUnavailable(Object.assign(new Error("Invalid invocation"), { code: "P2010", meta: { driverAdapterError: adapterError } }))).toBe(true);
  });

  it("leaves everything else to be a 500: constraint violations, syntax errors, bugs", () => {
    expect(isDatabaseUnavailable(withCode("23505", "duplicate key value"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("42601", "syntax error"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("P2002", "Unique constraint failed"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("P2028", "Transaction already closed: the timeout for this transaction was 5000 ms"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("57014", "canceling statement due to statement timeout"))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("cannot read properties of undefined"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  });
});
