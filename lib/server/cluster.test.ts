import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appServerCommand, defaultWebProcesses, startCluster, type AppCluster } from "./cluster";

// A stand-in for the app server: listens on the port it is given and answers with its pid.
// Port 0: the processes of a cluster that listen on port 0 all get the same free port.
const server = path.join(mkdtempSync(path.join(tmpdir(), "next-cluster-")), "server.cjs");
writeFileSync(server, `require("node:http").createServer((req, res) => res.end(String(process.pid))).listen(Number(process.argv[2]));\n`);
const start = () => startCluster({ port: 0, processes: 2, env: process.env, command: { exec: server, args: ["0"] } });

let running: AppCluster | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** One request on its own connection, so the primary hands each to the next process. */
function pidOf(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ port, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk));
      res.on("end", () => resolve(Number(body)));
    }).on("error", reject);
  });
}

async function pidsAnswering(port: number, requests: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < requests; i++) pids.add(await pidOf(port));
  return pids;
}

describe("startCluster", () => {
  it("runs the processes on one port and hands connections to each in turn", { timeout: 30_000 }, async () => {
    running = start();
    const port = await running.ready;
    expect((await pidsAnswering(port, 4)).size).toBe(2);
    expect(await running.stop()).toBe(0);
  });

  it("stops every process when one dies, and reports how it ended", { timeout: 30_000 }, async () => {
    running = start();
    const [first, second] = [...(await pidsAnswering(await running.ready, 4))];
    process.kill(first!, "SIGKILL");
    expect(await running.exited).toBe(128 + 9);
    expect(() => process.kill(second!, 0)).toThrow();
  });
});

describe("defaultWebProcesses", () => {
  it("leaves a core to PostgreSQL and the rest of the machine: at least 1, at most 4", () => {
    expect([1, 2, 3, 4, 5, 8, 64].map((cores) => defaultWebProcesses(cores))).toEqual([1, 1, 2, 3, 4, 4, 4]);
  });
});

describe("appServerCommand", () => {
  it("runs scripts/serve.ts on the port, through tsx's loader", () => {
    const command = appServerCommand(3456);
    expect(command.exec).toBe(path.resolve("scripts/serve.ts"));
    expect(command.args).toEqual(["3456"]);
    expect(command.execArgv?.[0]).toBe("--import");
    expect(command.execArgv?.[1]).toMatch(/^file:.*tsx.*esm/);
  });
});

