import { Logger, makeWorkerUtils, run } from "graphile-worker";

const quiet = new Logger(() => () => undefined);

/**
 * The reference point: graphile-worker (a well-regarded Postgres job queue) processing no-op
 * jobs with the given concurrency, on the same server, with its default settings.
 */
export async function graphileJobsPerSecond(connectionString: string, jobs: number, concurrency: number): Promise<number> {
  const utils = await makeWorkerUtils({ connectionString, logger: quiet });
  await utils.migrate();
  const batch = 5_000;
  for (let i = 0; i < jobs; i += batch) {
    await utils.addJobs(Array.from({ length: Math.min(batch, jobs - i) }, () => ({ identifier: "noop", payload: {} })));
  }
  await utils.release();

  let done = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const started = performance.now();
  const runner = await run({
    connectionString,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1_000,
    logger: quiet,
    taskList: {
      noop: async () => {
        if (++done === jobs) finish();
      },
    },
  });
  await allDone;
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  return jobs / seconds;
}
