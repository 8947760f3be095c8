import { runPayload, type RunOutcome } from "./payload";

/**
 * The reference worker: claims executions over the worker API, runs their payloads with
 * heartbeats, stops an execution the moment a heartbeat says it was killed or its lease was
 * lost, reports outcomes in the next claim, and long-polls when idle. stop() claims nothing
 * more, lets what it holds finish for `releaseAfterMs`, then stops the rest and releases them
 * (POST /api/workers/release) so other workers take them over at once, and returns.
 */
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
  abort: AbortController;
  done: Promise<void>;
}

export class ReferenceWorker {
  private workerId = "";
  private running = new Map<string, Running>();
  /** Outcomes not reported yet: they go with the next claim (or, while stopping, on their own). */
  private finished: Outcome[] = [];
  private stopping = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Aborts the claim in flight (a long poll can wait many seconds) when stop() is called. */
  private readonly claiming = new AbortController();
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
    // 409 on the lease calls still carries the per-execution results the worker acts on.
    if (!res.ok && res.status !== 409) throw new Error(`${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    const retry = res.headers.get("retry-after");
    return { data: JSON.parse(text) as T, retryAfter: retry ? Number(retry) : null };
  }

  async start(): Promise<void> {
    const { data } = await this.post<{ workerId: string }>("/api/workers/register", { name: this.config.name, queues: this.config.queues });
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
      try {
        reply = await this.post<{ claimed: Claimed[] }>("/api/workers/claim", {
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
    const done = runPayload(lease.payload, { allowedCommands: this.config.allowedCommands, defaultTimeoutMs: this.config.defaultTimeoutMs, signal: abort.signal }).then((outcome) => {
      this.running.delete(lease.id);
      // A killed or lost execution is not reported: the server already ended it.
      if (!abort.signal.aborted) this.finished.push({ executionId: lease.id, leaseToken: lease.leaseToken, status: outcome.status, error: outcome.error, result: outcome.result });
      this.wake?.();
    });
    this.running.set(lease.id, { lease, abort, done });
  }

  private async beat(): Promise<void> {
    const leases = [...this.running.values()].map((r) => ({ executionId: r.lease.id, leaseToken: r.lease.leaseToken }));
    if (leases.length === 0) return;
    const { data } = await this.post<{ results: { executionId: string; ok: boolean; code?: string }[] }>("/api/workers/heartbeat", { workerId: this.workerId, leases });
    for (const r of data.results) {
      if (r.ok) continue;
      this.config.log?.(`stopping ${r.executionId}: ${r.code}`);
      this.running.get(r.executionId)?.abort.abort();
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

  private async reportFinished(): Promise<void> {
    const outcomes = this.finished.splice(0);
    if (outcomes.length === 0) return;
    try {
      await this.post("/api/workers/complete", { workerId: this.workerId, outcomes });
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
    const leases = left.map((r) => ({ executionId: r.lease.id, leaseToken: r.lease.leaseToken }));
    const { data } = await this.post<{ results: { executionId: string; ok: boolean; code?: string }[] }>("/api/workers/release", {
      workerId: this.workerId,
      leases,
      reason: "worker shutting down",
    });
    const released = data.results.filter((r) => r.ok).length;
    this.config.log?.(`released ${released} unfinished execution(s)${released < leases.length ? `; ${leases.length - released} were already killed or lost` : ""}`);
  }
}
