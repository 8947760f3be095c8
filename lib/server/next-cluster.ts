import cluster, { type Worker } from "node:cluster";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";

/**
 * `next start` in several processes that share one port. One Node.js process runs its
 * JavaScript on one core, and a Next.js route costs about a millisecond of it per request,
 * so one process tops out near a thousand requests a second whatever the machine; node:cluster
 * lets the processes listen on the same port (the primary accepts connections and hands them
 * out in turn). Nothing in the app keeps state a request depends on in one process: dispatch,
 * leases, samples and live updates all go through PostgreSQL, which is also what lets several
 * instances share one database.
 */
export interface NextCluster {
  /** Resolves with the exit code once every process has exited (one exiting stops the rest). */
  exited: Promise<number>;
  stop(): Promise<number>;
}

export interface NextClusterOptions {
  port: number;
  processes: number;
  env: NodeJS.ProcessEnv;
  /** Whether the processes' standard output is shown (their errors always are). */
  stdout?: boolean;
  /** What each process runs; `next start --port <port>` unless given. */
  command?: { exec: string; args: string[] };
}

/** Cores, up to 4: each process holds its own database pool and a few hundred MB. */
export function defaultWebProcesses(): number {
  return Math.min(availableParallelism(), 4);
}

export function startNextCluster(options: NextClusterOptions): NextCluster {
  const command = options.command ?? { exec: createRequire(import.meta.url).resolve("next/dist/bin/next"), args: ["start", "--port", String(options.port)] };
  // The primary stays this process; the workers run Next.js's own CLI, without our loaders.
  cluster.setupPrimary({
    ...command,
    execArgv: [],
    stdio: ["ignore", options.stdout === false ? "ignore" : "inherit", "inherit", "ipc"],
  });
  const workers: Worker[] = Array.from({ length: options.processes }, () => cluster.fork(options.env));
  let stopping = false;
  let code = 0;
  const exited = Promise.all(
    workers.map((worker) => new Promise<void>((resolve) => {
      worker.once("exit", (exitCode, signal) => {
        if (!stopping) {
          // A process that dies takes the others down: whoever supervises us restarts the whole.
          code = exitCode ?? (signal ? 1 : 0);
          void stop();
        }
        resolve();
      });
    })),
  ).then(() => code);
  function stop(): Promise<number> {
    stopping = true;
    for (const worker of workers) if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill("SIGTERM");
    return exited;
  }
  return { exited, stop };
}
