import { z } from "zod";

// The JSON replies of the API, one file per concept (lib/contract/*.ts), as the client receives
// them: Dates are ISO 8601 strings, BigInt ids numbers, empty columns null. The OpenAPI document
// describes every operation's success reply with these, every integration test checks the replies
// it gets against them (tests/integration/helpers/api.ts), and the browser's types are inferred
// from them, so server, document, tests and client cannot drift apart. Strict objects: a field the
// server adds without documenting it fails the tests too. Nothing here touches the server.

export const id = z.uuid();
export const time = z.iso.datetime();
export const count = z.number().int().min(0);
export const anyJson = z.unknown().describe("any JSON value");
export const named = z.strictObject({ id, name: z.string() });
/** A rate limit (docs/limits.md): at most `limit` starts in any window of `periodMs`; null: none. */
export const rate = z.strictObject({ limit: count, periodMs: count }).nullable();
/** A rate limit's window now (null without a rate limit): starts inside it, and when used up, when the next is allowed. */
export const rateWindow = z.strictObject({ starts: count, nextStartAt: time.nullable() }).nullable();
/** A retry policy (null: a FAILED outcome is final); docs/lifecycle.md, "Retries". */
export const retry = z
  .strictObject({
    maxAttempts: count,
    backoff: z.strictObject({ initialMs: count, factor: z.number(), maxMs: count }),
    jitter: z.number(),
  })
  .nullable();

/** Every state an execution can be in (the execution_state enum), for schemas and the UI's filters alike. */
export const executionStates = ["QUEUED", "RUNNING", "PAUSED", "SUCCESS", "FAILED", "CANCELLED", "KILLED"] as const;
export type ExecutionStateName = (typeof executionStates)[number];
/** States that still hold or wait for a slot: the ones a kill applies to. */
export const liveStates: readonly ExecutionStateName[] = ["QUEUED", "RUNNING", "PAUSED"];
export const state = z.enum(executionStates);

export const executionKinds = ["job", "workflow", "access_request"] as const;
export const kind = z.enum(executionKinds);

/** What a flow at its limit does with a new submission: QUEUE waits, CANCEL and FAIL end it at once. */
export const flowBehaviors = ["QUEUE", "CANCEL", "FAIL"] as const;
export type FlowBehavior = (typeof flowBehaviors)[number];
export const behavior = z.enum(flowBehaviors);

/** The caps on executions in flight (docs/dispatch.md; keys: docs/limits.md). */
export const concurrencyCapCodes = ["global", "org", "jobs", "access_requests", "workflows", "pipeline", "controller", "project", "pool", "flow", "queue", "key"] as const;
/** The caps on starts per window (docs/limits.md, "Rate limits"). */
export const rateCapCodes = ["org_rate", "flow_rate", "queue_rate", "key_rate"] as const;
export const capCodes = [...concurrencyCapCodes, ...rateCapCodes] as const;
export type CapCodeName = (typeof capCodes)[number];
