import { spawn } from "node:child_process";
import { z } from "zod";

// What a reference worker runs for an execution: a simulated duration, or a shell command —
// only when the worker's operator allowed that command's prefix. A tenant who can submit
// executions must not get a shell on every worker, so commands are off by default.
//
// Simulated work may pause: `pause: { afterMs, forMs }` pauses the execution (POST
// /api/workers/pause, a delay of `forMs`) after `afterMs` of its `sleepMs`; the platform resumes
// it, and the worker that claims it then (the claim reply's `resumed`) runs just the part after
// the pause, so a pausing execution is paused once per run, never round and round; a retry
// runs it all again.

const duration = z.number().int().min(0).max(3_600_000);

export const payloadSchema = z
  .object({
    sleepMs: duration.optional(),
    fail: z.boolean().optional(),
    command: z.string().min(1).max(4_000).optional(),
    timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
    pause: z.strictObject({ afterMs: duration, forMs: duration }).optional(),
  })
  .refine((p) => !(p.pause && p.command !== undefined), { message: "pause is for simulated work (sleepMs), not commands", path: ["pause"] })
  .refine((p) => !p.pause || p.pause.afterMs <= (p.sleepMs ?? 0), { message: "pause.afterMs must not exceed sleepMs", path: ["pause", "afterMs"] });

export type Payload = z.infer<typeof payloadSchema>;

export interface RunOutcome {
  status: "SUCCESS" | "FAILED";
  error?: string;
  result?: { exitCode?: number | null; stdout?: string; stderr?: string; durationMs: number };
}

export interface RunOptions {
  /** Command prefixes this worker may run; empty = no shell commands at all. */
  allowedCommands: readonly string[];
  defaultTimeoutMs: number;
  signal: AbortSignal;
  /**
   * The claim said the execution was resumed (it paused before and was resumed): a pausing
   * payload then runs only the part after its pause.
   */
  resumed: boolean;
  /**
   * Pauses the execution for `forMs` through the worker API, handing it to the platform;
   * the worker has aborted `signal` when it resolves (the rest runs after the resume).
   */
  pause: (forMs: number) => Promise<void>;
}

const OUTPUT_LIMIT = 16 * 1024;

export function commandAllowed(command: string, allowed: readonly string[]): boolean {
  const trimmed = command.trim();
  return allowed.some((prefix) => trimmed === prefix || trimmed.startsWith(`${prefix} `));
}

export async function runPayload(raw: unknown, options: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const parsed = payloadSchema.safeParse(raw ?? {});
  if (!parsed.success) return { status: "FAILED", error: `invalid payload: ${parsed.error.issues[0]?.message ?? "unknown"}` };
  const payload = parsed.data;
  if (payload.command !== undefined) {
    if (!commandAllowed(payload.command, options.allowedCommands)) {
      return { status: "FAILED", error: "shell commands are not allowed on this worker (start it with --allow-command)" };
    }
    return runCommand(payload.command, payload.timeoutMs ?? options.defaultTimeoutMs, options.signal, started);
  }
  await simulate(payload, options);
  if (options.signal.aborted) return { status: "FAILED", error: "stopped", result: { durationMs: Date.now() - started } };
  return payload.fail ? { status: "FAILED", error: "simulated failure", result: { durationMs: Date.now() - started } } : { status: "SUCCESS", result: { durationMs: Date.now() - started } };
}

async function simulate(payload: Payload, options: RunOptions): Promise<void> {
  const work = payload.sleepMs ?? 0;
  const { pause } = payload;
  if (!pause) return delay(work, options.signal);
  if (options.resumed) return delay(work - pause.afterMs, options.signal);
  await delay(pause.afterMs, options.signal);
  if (!options.signal.aborted) await options.pause(pause.forMs);
  if (!options.signal.aborted) await delay(work - pause.afterMs, options.signal);
}

/** Waits `ms`, or less if `signal` aborts first. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function runCommand(command: string, timeoutMs: number, signal: AbortSignal, started: number): Promise<RunOutcome> {
  return new Promise((resolve) => {
    // Its own process group, so stopping it also stops anything it started.
    const child = spawn("/bin/sh", ["-c", command], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let why: string | null = null;
    child.stdout.on("data", (d: Buffer) => (stdout = (stdout + d.toString()).slice(-OUTPUT_LIMIT)));
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-OUTPUT_LIMIT)));
    const stop = (reason: string) => {
      why ??= reason;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => stop(`timed out after ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => stop("stopped");
    signal.addEventListener("abort", onAbort);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      const result = { exitCode, stdout, stderr, durationMs: Date.now() - started };
      if (why) resolve({ status: "FAILED", error: why, result });
      else if (exitCode === 0) resolve({ status: "SUCCESS", result });
      else resolve({ status: "FAILED", error: `exit code ${exitCode}`, result });
    });
  });
}
