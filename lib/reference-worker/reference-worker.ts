import { runPayload, type RunOutcome } from "./payload";

// The reference worker: claims executions over the worker API, runs their payloads with
// heartbeats, stops an execution the moment a heartbeat says it was killed or its lease was
// lost, reports outcomes in the next claim, and long-polls when idle. stop() claims nothing
// more, lets what it holds finish for `releaseAfterMs`, then stops the rest and releases them
// (POST /api/workers/release) so other workers take them over at once, and returns.
//
// A pausing payload (payload.ts) is paused through the worker API as a delay: the platform owns
// the paused execution and resumes it on time, so this worker lets it go at once; whoever claims
// it after its resume (this worker or another) runs the rest.

export interface WorkerConfig {
  baseUrl: string;
  token: string;
  name: string;
  queues: string[];
  concurrency: number;
  allowedCommands: string[];
  defaultTimeoutMs: number;
  heartbeatMs: number;
  waitMs: number;
  /** On stop(): how long executions in hand may take to finish before they are released. */
  releaseAfterMs: number;
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

interface Claimed {
  id: string;
  leaseToken: number;
  payload: unknown;
  resumed: boolean;
}

/** The server's answer to one reported outcome (claim's `completed`, complete's `results`). */
interface OutcomeResult {
  executionId: string;
  ok: boolean;
  code?: string;
  state?: string | null;
}

interface Outcome {
  executionId: string;
  leaseToken: number;
  status: RunOutcome["status"];
  error?: string;
  result?: RunOutcome["result"];
}

interface Running {
  lease: Claimed;
  /** Aborted = not this worker's to report any more (killed, lease lost, handed back, stopping). */
  abort: AbortController;
  done: Promise<void>;
  paused: boolean;
  /** Paused (or let go while pausing): no longer this worker's, nothing to release. */
  handedBack: boolean;
}

/** A reply other than 2xx from the API. */
class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const PAUSE_TRIES = 3;

const LEASE_BATCH_CALLS = new Set(["/api/workers/heartbeat", "/api/workers/complete", "/api/workers/release"]);

export class ReferenceWorker {
  private workerId = "";
  private running = new Map<string, Running>();
  /** Outcomes not reported yet: they go with the next claim (or, while stopping, on their own). */
  private finished: Outcome[] = [];
  private stopping = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  /**
   * Aborts the claim in flight (a long poll can wait many seconds) when stop() is called.
   * A new one per claim: fetch leaves a listener on the signal it was given, so one signal
   * shared by every claim would collect a listener per claim for the worker's whole life.
   */
  private claiming = new AbortController();
  private endGrace: (() => void) | undefined;
  private readonly http: typeof fetch;

  constructor(private readonly config: WorkerConfig) {
    this.http = config.fetch ?? fetch;
  }

  private async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<{ data: T; retryAfter: number | null }> {
    const res = await this.http(`${this.config.baseUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.config.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
    const text = await res.text();
    // 409 from the batch lease calls still carries the per-execution results the worker acts on.
    if (!res.ok && !(res.status === 409 && LEASE_BATCH_CALLS.has(path))) throw new HttpError(res.status, `${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    const retry = res.headers.get("retry-after");
    return { data: JSON.parse(text) as T, retryAfter: retry ? Number(retry) : null };
  }

  async start(): Promise<void> {
    const { data } = await this.post<{ workerId: string }>("/api/workers/register", { name: this.config.name, queues: this.config.queues, concurrency: this.config.concurrency });
    this.workerId = data.workerId;
    this.config.log?.(`registered as ${this.workerId}`);
    this.heartbeat = setInterval(() => void this.beat().catch((e) => this.config.log?.(`heartbeat failed: ${e}`)), this.config.heartbeatMs);
    this.loop = this.run();
  }

  get id(): string {
    return this.workerId;
  }

  private async run(): Promise<void> {
    let idleRounds = 0;
    while (!this.stopping) {
      const free = this.config.concurrency - this.running.size;
      const complete = this.finished.splice(0);
      if (free <= 0 && complete.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      let reply;
      this.claiming = new AbortController();
      try {
        reply = await this.post<{ claimed: Claimed[]; completed: OutcomeResult[] }>("/api/workers/claim", {
          workerId: this.workerId,
          limit: Math.max(0, free),
          queues: this.config.queues.length ? this.config.queues : undefined,
          complete,
          waitMs: this.running.size === 0 && complete.length === 0 ? this.config.waitMs : 0,
          idleRounds,
        }, this.claiming.signal);
      } catch (error) {
        // Aborted by stop(): a claim that did not arrive handed nothing out, unless the server
        // had already claimed in that instant; such leases run out and are queued again.
        this.finished.unshift(...complete);
        if (this.stopping) break;
        this.config.log?.(`claim failed, retrying: ${error}`);
        await this.sleep(1000 * Math.min(30, 2 ** Math.min(idleRounds++, 5)));
        continue;
      }
      this.logRefused(reply.data.completed);
      for (const lease of reply.data.claimed) this.execute(lease);
      if (reply.data.claimed.length === 0 && this.running.size === 0) {
        idleRounds++;
        await this.sleep(Math.min((reply.retryAfter ?? 1) * 1000, this.config.waitMs > 0 ? 250 : 30_000));
      } else {
        idleRounds = 0;
        if (this.running.size >= this.config.concurrency) await new Promise<void>((resolve) => (this.wake = resolve));
      }
    }
  }

  private execute(lease: Claimed) {
    const abort = new AbortController();
    const entry: Running = { lease, abort, done: Promise.resolve(), paused: false, handedBack: false };
    entry.done = runPayload(lease.payload, {
      allowedCommands: this.config.allowedCommands,
      defaultTimeoutMs: this.config.defaultTimeoutMs,
      signal: abort.signal,
      // Lease tokens count the leases an execution was given, from 1.
      resumed: lease.resumed,
      pause: (forMs) => this.pauseFor(entry, forMs),
    }).then((outcome) => {
      this.running.delete(lease.id);
      // A killed, lost or handed-back execution is not reported: it is not this worker's now.
      if (!abort.signal.aborted) this.finished.push({ executionId: lease.id, leaseToken: lease.leaseToken, status: outcome.status, error: outcome.error, result: outcome.result });
      this.wake?.();
    });
    this.running.set(lease.id, entry);
  }

  /**
   * Pauses the execution as a delay of `forMs` (docs/lifecycle.md, "Pauses"): the platform owns
   * it from then on and resumes it on time, and whichever worker claims it next runs the rest
   * (its claim says `resumed`). This worker lets it go at once, so its own death or stop while
   * the execution waits changes nothing. On return `abort` is aborted.
   */
  private async pauseFor(r: Running, forMs: number): Promise<void> {
    const { id } = r.lease;
    // From here on no heartbeat for it: one sent now would be answered lease_lost.
    r.paused = true;
    for (let attempt = 1; ; attempt++) {
      try {
        const { data } = await this.post<{ holdsSlot: boolean }>("/api/workers/pause", { workerId: this.workerId, executionId: id, leaseToken: r.lease.leaseToken, delayMs: forMs });
        this.config.log?.(`paused ${id} for ${forMs} ms (${data.holdsSlot ? "it keeps its slot" : "its slot is free meanwhile"}); the platform resumes it`);
        break;
      } catch (error) {
        // Refused: killed, or its lease lost — or an earlier try that got no answer did pause
        // it. None is this worker's to run on. No answer at all: try again, then let the lease
        // run out (the platform then retries it, nothing is lost).
        const refused = error instanceof HttpError && error.status < 500;
        if (refused || attempt === PAUSE_TRIES) {
          this.config.log?.(`letting ${id} go: ${refused ? "could not pause it" : "pausing it got no answer"} (${error instanceof Error ? error.message : error})`);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
      }
    }
    r.handedBack = true;
    r.abort.abort();
  }

  private async beat(): Promise<void> {
    const leases = [...this.running.values()].filter((r) => !r.paused).map((r) => ({ executionId: r.lease.id, leaseToken: r.lease.leaseToken }));
    if (leases.length === 0) return;
    const sent = new Map(leases.map((l) => [l.executionId, l.leaseToken]));
    const { data } = await this.post<{ results: { executionId: string; ok: boolean; code?: string }[] }>("/api/workers/heartbeat", { workerId: this.workerId, leases });
    for (const result of data.results) {
      if (result.ok) continue;
      const r = this.running.get(result.executionId);
      // Paused or resumed since this beat was sent: its answer is about a lease no longer held.
      if (!r || r.paused || r.lease.leaseToken !== sent.get(result.executionId)) continue;
      this.config.log?.(`stopping ${result.executionId}: ${result.code}`);
      r.abort.abort();
    }
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Graceful shutdown: claim nothing new; what is held may finish within `releaseAfterMs`,
   * each outcome reported as soon as it is known (a finished execution is no longer
   * heartbeated, so its report must not wait for the others); what is still running then is
   * stopped — its process group gone — and released, so it is queued again at its old place
   * without waiting for the lease to run out and without spending an attempt.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.claiming.abort();
    this.wake?.();
    await this.loop;
    let graceOver = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => {
      this.endGrace = () => {
        graceOver = true;
        resolve();
      };
      timer = setTimeout(this.endGrace, this.config.releaseAfterMs);
    });
    try {
      for (;;) {
        await this.reportFinished();
        if (this.running.size === 0 || graceOver) break;
        await Promise.race([grace, ...[...this.running.values()].map((r) => r.done)]);
      }
      await this.releaseRunning();
    } finally {
      clearTimeout(timer);
      clearInterval(this.heartbeat);
    }
  }

  /**
   * An outcome the server refused did not count: the execution was killed, or this worker's
   * lease had run out and another attempt holds it now. Said, so an operator can tell lost
   * work from finished work.
   */
  private logRefused(results: readonly OutcomeResult[] | undefined): void {
    for (const r of results ?? []) {
      if (!r.ok) this.config.log?.(`outcome of ${r.executionId} refused: ${r.code}${r.state ? ` (it is ${r.state})` : ""}`);
    }
  }

  private async reportFinished(): Promise<void> {
    const outcomes = this.finished.splice(0);
    if (outcomes.length === 0) return;
    try {
      const { data } = await this.post<{ results: OutcomeResult[] }>("/api/workers/complete", { workerId: this.workerId, outcomes });
      this.logRefused(data.results);
    } catch (error) {
      this.finished.unshift(...outcomes);
      throw error;
    }
  }

  /** During stop(): release what is still running now instead of at the end of the grace period. */
  releaseNow(): void {
    this.endGrace?.();
  }

  private async releaseRunning(): Promise<void> {
    const left = [...this.running.values()];
    if (left.length === 0) return;
    // Stop the work first (an aborted execution is not reported), then hand it back: released
    // first, another worker could start it while this one's command still ran.
    for (const r of left) r.abort.abort();
    await Promise.all(left.map((r) => r.done));
    // A paused one is the platform's already (pauseFor).
    const leases = left.filter((r) => !r.handedBack).map((r) => ({ executionId: r.lease.id, leaseToken: r.lease.leaseToken }));
    if (leases.length === 0) return;
    const { data } = await this.post<{ results: { executionId: string; ok: boolean; code?: string }[] }>("/api/workers/release", {
      workerId: this.workerId,
      leases,
      reason: "worker shutting down",
    });
    const released = data.results.filter((r) => r.ok).length;
    this.config.log?.(`released ${released} unfinished execution(s)${released < leases.length ? `; ${leases.length - released} were already killed or lost` : ""}`);
  }
}
