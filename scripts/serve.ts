// One app process (lib/server/server.ts) on the port given as its argument: `npm start` runs
// one per core through lib/server/cluster.ts, `npm run dev` one with --dev, the end-to-end tests
// one. Without --dev it needs a build (`npm run build`) unless SLOTWISE_ROLE=api. SIGTERM or
// SIGINT: stop taking requests, finish those in flight, exit.

const dev = process.argv.includes("--dev");
// Before Next.js and React load: they pick their development or production builds from it.
Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });
const { startServer } = await import("../lib/server/server");
const { env } = await import("../lib/core/env");

const portArg = process.argv.slice(2).find((a) => /^\d+$/.test(a));
const port = Number(portArg ?? env().PORT);
const app = await startServer({ port, dev });
console.log(`Slotwise listening on http://localhost:${port} (process ${process.pid}, role ${env().SLOTWISE_ROLE}${dev ? ", development" : ""})`);

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
