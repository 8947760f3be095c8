import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startNextCluster, type NextCluster } from "./next-cluster";

// A stand-in for `next start`: listens on the port it is given and answers with its pid.
const server = path.join(mkdtempSync(path.join(tmpdir(), "next-cluster-")), "server.cjs");
writeFileSync(server, `require("node:http").createServer((req, res) => res.end(String(process.pid))).listen(Number(process.argv[2]));\n`);

const PORT = 43_000 + Math.floor(Math.random() * 1_000);
let running: NextCluster | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** Each request on its own connection, so the primary hands each to the next process. */
function pidOf(): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ port: PORT, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk));
      res.on("end", () => resolve(Number(body)));
    }).on("error", reject);
  });
}

/** The pids that answered, once `expected` have (processes start listening one by one). */
async function pidsAnswering(expected: number): Promise<number[]> {
  const pids = new Set<number>();
  for (let i = 0; pids.size < expected; i++) {
    try {
      pids.add(await pidOf());
    } catch (error) {
      if (i > 200) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return [...pids];
}

describe("startNextCluster", () => {
  it("runs the processes on one port and hands connections to each in turn", async () => {
    running = startNextCluster({ port: PORT, processes: 2, env: process.env, command: { exec: server, args: [String(PORT)] } });
    expect(await pidsAnswering(2)).toHaveLength(2);
    expect(await running.stop()).toBe(0);
  });

  it("stops every process when one dies, and reports how it ended", async () => {
    running = startNextCluster({ port: PORT, processes: 2, env: process.env, command: { exec: server, args: [String(PORT)] } });
    const [first, second] = await pidsAnswering(2);
    process.kill(first!, "SIGKILL");
    expect(await running.exited).toBe(1);
    expect(() => process.kill(second!, 0)).toThrow();
  });
});
