import http from "node:http";
import type { AddressInfo } from "node:net";
import * as register from "../../../app/api/workers/register/route";
import * as claim from "../../../app/api/workers/claim/route";
import * as heartbeat from "../../../app/api/workers/heartbeat/route";
import * as complete from "../../../app/api/workers/complete/route";
import * as release from "../../../app/api/workers/release/route";
import * as pause from "../../../app/api/workers/pause/route";
import * as resume from "../../../app/api/workers/resume/route";
import { pool } from "../../../lib/db/client";
import { startSweeper } from "../../../lib/dispatch/sweeper";
import { checkReply } from "./api";

// The app's worker API served over real HTTP from the test process — the same route handlers
// Next.js serves, against the per-file test database, with the lease sweeper every app
// instance runs — so worker PROCESSES (`npm run worker`) and in-process reference workers
// talk to it exactly as to a deployed Slotwise, without the cost of booting Next.js. Every
// reply is checked against the OpenAPI document as `call()` checks it; a mismatch fails the
// test file when the server is closed (the worker only sees its reply).

type Handler = (request: Request) => Promise<Response>;

const ROUTES: Record<string, Handler> = {
  "/api/workers/register": register.POST,
  "/api/workers/claim": claim.POST,
  "/api/workers/heartbeat": heartbeat.POST,
  "/api/workers/complete": complete.POST,
  "/api/workers/release": release.POST,
  "/api/workers/pause": pause.POST,
  "/api/workers/resume": resume.POST,
};

export interface WorkerApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startWorkerApiServer(options: { sweepEveryMs?: number } = {}): Promise<WorkerApiServer> {
  const mismatches: string[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const handler = ROUTES[url.pathname];
    if (!handler || req.method !== "POST") {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // A client that hangs up ends its long poll, as it does under Next.js.
    const gone = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) gone.abort();
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    try {
      const response = await handler(new Request(url, { method: "POST", headers, body: Buffer.concat(chunks), signal: gone.signal }));
      const body = Buffer.from(await response.arrayBuffer());
      try {
        const text = body.toString("utf8");
        checkReply("POST", url.pathname, response.status, response.headers.get("content-type"), text ? JSON.parse(text) : null);
      } catch (error) {
        mismatches.push(String(error));
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(body);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const stopSweeper = startSweeper(pool(), { leaseEveryMs: options.sweepEveryMs ?? 200, sampleEveryMs: 60_000 });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      stopSweeper();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (mismatches.length > 0) throw new Error(`replies that do not match the OpenAPI document:\n${[...new Set(mismatches)].join("\n")}`);
    },
  };
}
