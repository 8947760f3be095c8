import cluster, { type Address, type Worker } from "node:cluster";
import { createRequire } from "node:module";
import { availableParallelism, constants } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";

// The app server (scripts/serve.ts, lib/server/server.ts) in several processes that share one port. One Node.js
// process runs its JavaScript on one core; node:cluster lets the processes listen on the same
// port (the primary accepts connections and hands them out in turn). Nothing in the app keeps
// state a request depends on in one process: dispatch, leases, samples, live updates and
// sign-in rate limits all go through PostgreSQL, which is also what lets several instances
// share one database.

export interface AppCluster {
  /** Resolves with the port once every process listens. */
  ready: Promise<number>;
  /** Resolves with the exit code once every process has exited (one exiting stops the rest). */
  exited: Promise<number>;
  stop(): Promise<number>;
}

export interface ClusterOptions {
  port: number;
  processes: number;
  env: NodeJS.ProcessEnv;
  /** Whether the processes' standard output is shown (their errors always are). */
  stdout?: boolean;
  /** What each process runs; the app server (appServerCommand) unless given. */
  command?: ProcessCommand;
}

export interface ProcessCommand {
  exec: string;
  args: string[];
  /** Node.js's own options for it. */
  execArgv?: string[];
}

/** scripts/serve.ts on `port` (in development mode with `dev`), through tsx's loader (the entry is TypeScript, as every script here). */
export function appServerCommand(port: number, dev = false): ProcessCommand {
  const require = createRequire(import.meta.url);
  return {
    exec: fileURLToPath(new URL("../../scripts/serve.ts", import.meta.url)),
    args: dev ? [String(port), "--dev"] : [String(port)],
    execArgv: ["--import", pathToFileURL(require.resolve("tsx/esm")).href, "--import", new URL("../../scripts/server-only-hook.mjs", import.meta.url).href],
  };
}

/**
 * One per core but one, at least 1 and at most 4 (each holds its own database pool and a few
 * hundred MB). The core left over is for PostgreSQL — on this machine by default (embedded) —
 * the lease sweeper and the kernel's network work: on 2 cores, two processes served the
 * 1,000-org list a quarter slower than one, with a worse tail, and the single-org read no
 * better (README, "Performance").
 */
export function defaultWebProcesses(cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores - 1, 4));
}

/** An exit code as a shell reports it: 128 + the signal's number for a process a signal ended. */
function exitCodeOf(code: number | null, signal: string | null): number {
  if (signal) return 128 + (constants.signals[signal as keyof typeof constants.signals] ?? 0);
  return code ?? 0;
}

export function startCluster(options: ClusterOptions): AppCluster {
  const command = options.command ?? appServerCommand(options.port);
  // The primary stays this process; the workers get only the loaders their command names.
  cluster.setupPrimary({
    exec: command.exec,
    args: command.args,
    execArgv: command.execArgv ?? [],
    stdio: ["ignore", options.stdout === false ? "ignore" : "inherit", "inherit", "ipc"],
  });
  const workers: Worker[] = Array.from({ length: options.processes }, () => cluster.fork(options.env));
  let stopping = false;
  let code = 0;
  const ready = Promise.all(workers.map((worker) => new Promise<number>((resolve, reject) => {
    worker.once("listening", (address: Address) => resolve(address.port));
    worker.once("exit", () => reject(new Error("an app process exited before it listened")));
  }))).then((ports) => ports[0]!);
  ready.catch(() => undefined); // callers that only wait for `exited` need not handle it
  const exited = Promise.all(
    workers.map((worker) => new Promise<void>((resolve) => {
      // A process that cannot be spawned still emits "exit"; without a listener "error" would throw here.
      worker.on("error", () => undefined);
      worker.once("exit", (exitCode, signal) => {
        if (!stopping) {
          // A process that dies takes the others down: whoever supervises us restarts the whole.
          code = exitCodeOf(exitCode, signal);
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
  return { ready, exited, stop };
}
