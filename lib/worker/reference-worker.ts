import { runPayload, type RunOutcome } from "./payload";

/**
 * The reference worker: claims executions over the worker API, runs their payloads with
 * heartbeats, stops an execution the moment a heartbeat says it was killed or its lease was
 * lost, reports outcomes in the next claim, and long-polls when idle. stop() finishes what it
 * holds, reports it, and returns.
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
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

interface Claimed {
  id: string;
  leaseToken: number;
  payload: unknown;
}

interface Running {
  lease: Claimed;
  abort: AbortController;
  done: Promise<void>;
}

export class ReferenceWorker {
  private workerId = "";
  private running = new Map<string, Running>();
  private finished: { executionId: string; leaseToken: number; outcome: RunOutcome }[] = [];
  private stopping = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly http: typeof fetch;

  constructor(private readonly config: WorkerConfig) {
    this.http = config.fetch ?? fetch;
  }

  private async post<T>(path: string, body: unknown): Promise<{ data: T; retryAfter: number | null }> {
    const res = await this.http(`${this.config.baseUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.config.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
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
      const complete = this.takeFinished();
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
        });
      } catch (error) {
        this.finished.unshift(...complete.map((c) => ({ executionId: c.executionId, leaseToken: c.leaseToken, outcome: { status: c.status, error: c.error ?? undefined, result: c.result } as RunOutcome })));
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

  private takeFinished() {
    const batch = this.finished.splice(0);
    return batch.map((f) => ({ executionId: f.executionId, leaseToken: f.leaseToken, status: f.outcome.status, error: f.outcome.error, result: f.outcome.result }));
  }

  private execute(lease: Claimed) {
    const abort = new AbortController();
    const done = runPayload(lease.payload, { allowedCommands: this.config.allowedCommands, defaultTimeoutMs: this.config.defaultTimeoutMs, signal: abort.signal }).then((outcome) => {
      this.running.delete(lease.id);
      // A killed or lost execution is not reported: the server already ended it.
      if (!abort.signal.aborted) this.finished.push({ executionId: lease.id, leaseToken: lease.leaseToken, outcome });
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

  /** Graceful shutdown: claim nothing new, finish and report what is held. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await Promise.all([...this.running.values()].map((r) => r.done));
    clearInterval(this.heartbeat);
    const complete = this.takeFinished();
    if (complete.length > 0) await this.post("/api/workers/claim", { workerId: this.workerId, limit: 0, complete });
  }
}
