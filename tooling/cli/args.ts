import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { validationFailed } from "../../lib/core/errors";
import type { PrismaClient } from "../../lib/db/client";

// What every CLI command shares: its flags parsed strictly, checked with zod before the first
// write, and the output it writes to.

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export type Command = (prisma: PrismaClient, args: string[], io: CliOutput) => Promise<void>;

export class UsageError extends Error {}

/** The command's flags, apart from --help. Unknown flags, stray words and missing values are usage errors. */
export function flags(args: string[], options: NonNullable<ParseArgsConfig["options"]>): { help: boolean; values: Record<string, unknown> } {
  try {
    const parsed: Record<string, unknown> = parseArgs({ args, options: { ...options, help: { type: "boolean" } }, strict: true, allowPositionals: false }).values;
    const { help, ...values } = parsed;
    return { help: help === true, values };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function check<S extends z.ZodType>(schema: S, values: unknown): z.output<S> {
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw validationFailed(parsed.error.issues.map((i) => ({ field: `--${i.path.join(".")}`, message: i.message })));
  return parsed.data;
}

export const text = z.string().trim().min(1);
export const missingOr = (message?: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message) });
export const email = z.email(missingOr("must be an email address"));

