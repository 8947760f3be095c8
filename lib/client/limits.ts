// How the settings screens read and write limits: what a person typed into a limit field,
// and how a limit is shown where 0 means "no cap". Bounds beyond the minimum are the
// server's to enforce (its refusal is shown as it gives it).

export function formatCap(n: number): string {
  return n === 0 ? "No limit" : String(n);
}

/** A project's Max Concurrent Jobs: its own value, or the platform default it falls back to. */
export function describeProjectLimit(own: number | null, platformDefault: number): string {
  return own === null ? `Platform default (${platformDefault === 0 ? "no limit" : platformDefault})` : formatCap(own);
}

export type LimitInput = { ok: true; value: number | null } | { ok: false; message: string };

/** A whole number of at least `min`; empty means null where `emptyAllowed` (the platform default). */
export function parseLimitInput(text: string, options: { min: number; emptyAllowed: boolean }): LimitInput {
  const trimmed = text.trim();
  if (trimmed === "" && options.emptyAllowed) return { ok: true, value: null };
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (Number.isSafeInteger(value) && value >= options.min) return { ok: true, value };
  return { ok: false, message: `Enter a whole number of ${options.min} or more${options.emptyAllowed ? ", or leave it empty for the platform default" : ""}.` };
}
