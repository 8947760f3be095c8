import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/free-port";

// `npm run dev` (scripts/dev.ts) stopped by a signal sent to it alone — as a supervisor, an
// IDE's stop button or `kill <pid>` does, unlike a terminal's Ctrl-C, which signals every
// process in the group — stops the demo first, then the app, and exits: nothing it started is
// left running. It runs under tsx, which SIGKILLs a child that drops tsx's own signal
// listener; dev.ts once did (removeAllListeners), and then left Next.js and PostgreSQL behind.

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

describe("scripts/dev.ts", () => {
  it("stops the demo, the app and its embedded PostgreSQL when SIGTERM reaches it alone", async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    // Its own embedded PostgreSQL (no DATABASE_URL), and without Vitest's NODE_ENV=test (spawn
    // skips undefined values): the app sets its own.
    const dataDir = mkdtempSync(path.join(tmpdir(), "slotwise-dev-"));
    chmodSync(dataDir, 0o755); // run as root, PostgreSQL runs as its own user
    const env = { ...process.env, NODE_ENV: undefined, DATABASE_URL: undefined, SLOTWISE_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(port) } as unknown as NodeJS.ProcessEnv;
    // As `npm run dev` runs it: node with tsx's loader, not tsx's CLI, which relays signals to
    // a child and SIGKILLs it when it does not confirm within 30 ms (on a loaded machine it
    // exited 143 and stranded PostgreSQL).
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/dev.ts"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so a failed run can be cleaned up whole
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let hasExited = false;
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once("exit", (code, signal) => {
        hasExited = true;
        resolve({ code, signal });
      }),
    );
    try {
      for (let i = 0; !output.includes("demo workers and workload are running"); i++) {
        if (i > 240 || hasExited) throw new Error(`dev.ts did not start the demo:\n${output}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(await answers(port)).toBe(true);
      expect(await listening(pgPort)).toBe(true);
      // The logins come last and stay last: the demo workers' routine lines (pauses, the flaky
      // one's lost leases) are debug-level, so nothing scrolls them away (#18).
      for (let i = 0; !output.includes("member@gamma.dev"); i++) {
        if (i > 60) throw new Error(`dev.ts printed no logins:\n${output}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      await new Promise((r) => setTimeout(r, 8_000));
      const afterLogins = output.slice(output.lastIndexOf("member@gamma.dev"));
      expect(afterLogins).not.toMatch(/demo-(flaky-)?worker:/);

      child.kill("SIGTERM");
      const result = await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 30_000))]);
      expect(result, output).toEqual({ code: 0, signal: null });
      expect(output).toContain("stopping…");
      expect(output).not.toContain("stopping a demo worker"); // the demo stopped while the app still answered
      expect(output).not.toContain("ended an idle connection"); // its own connections closed before PostgreSQL stopped
      expect(await answers(port)).toBe(false);
      expect(await listening(pgPort)).toBe(false);
    } finally {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // the whole group has exited
      }
    }
  }, 180_000);
});
