import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";

/**
 * `npm run dev` (scripts/dev.ts) stopped by a signal sent to it alone — as a supervisor, an
 * IDE's stop button or `kill <pid>` does, unlike a terminal's Ctrl-C, which signals every
 * process in the group — stops the demo first, then the app, and exits: nothing it started is
 * left running. It runs under tsx, which SIGKILLs a child that drops tsx's own signal
 * listener; dev.ts once did (removeAllListeners), and then left Next.js and PostgreSQL behind.
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
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
  it("stops the demo and the app it started when SIGTERM reaches it alone", async () => {
    const port = await freePort();
    // Without Vitest's NODE_ENV=test (spawn skips undefined values): the app sets its own.
    const env = { ...process.env, NODE_ENV: undefined, PORT: String(port) } as unknown as NodeJS.ProcessEnv;
    const child = spawn("node_modules/.bin/tsx", ["scripts/dev.ts"], {
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

      child.kill("SIGTERM");
      const result = await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 30_000))]);
      expect(result, output).toEqual({ code: 0, signal: null });
      expect(output).toContain("stopping…");
      expect(output).not.toContain("stopping a demo worker"); // the demo stopped while the app still answered
      expect(await answers(port)).toBe(false);
    } finally {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // the whole group has exited
      }
    }
  }, 180_000);
});
