/**
 * One production app process on the port given as its argument (`npm start` runs one per
 * core through lib/server/next-cluster.ts; the end-to-end tests run one). Needs a build
 * (`npm run build`). SIGTERM or SIGINT: stop taking requests, finish those in flight, exit.
 */
// Before Next.js and React load: they pick their production builds from it.
Object.assign(process.env, { NODE_ENV: "production" });
const { startAppServer } = await import("../lib/server/app-server");

const port = Number(process.argv[2] ?? process.env.PORT ?? 3000);
const app = await startAppServer({ port });
console.log(`Slotwise listening on http://localhost:${port} (process ${process.pid})`);

let closing = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

export {}; // an ES module, for its top-level await
