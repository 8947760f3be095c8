import type { OrgConcurrencyRow } from "../contract/orgs";
import { loadRatio } from "../dispatch/policy/fair-order";

// The edit-org form's client-side check, before anything is sent: the same rules as the
// server's schema (lib/orgs/update-org.ts), in words next to each field.

export interface OrgEditInput {
  weight: string;
  maxConcurrency: string;
}

export interface OrgEditResult {
  values?: { weight: number; maxConcurrency: number };
  errors: Partial<Record<keyof OrgEditInput, string>>;
}

const LIMIT = 1_000_000;

function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

export function validateOrgEdit(input: OrgEditInput): OrgEditResult {
  const errors: OrgEditResult["errors"] = {};
  const weight = wholeNumber(input.weight);
  if (weight === null || weight < 1) errors.weight = "Weight must be a whole number of at least 1.";
  else if (weight > LIMIT) errors.weight = "Weight can be at most 1,000,000.";
  const maxConcurrency = wholeNumber(input.maxConcurrency);
  if (maxConcurrency === null) errors.maxConcurrency = "Max concurrency must be a whole number, 0 or more (0 = no limit).";
  else if (maxConcurrency > LIMIT) errors.maxConcurrency = "Max concurrency can be at most 1,000,000.";
  if (Object.keys(errors).length > 0 || weight === null || maxConcurrency === null) return { errors };
  return { values: { weight, maxConcurrency }, errors };
}

/**
 * The org list with an edit applied (weight, cap and the load ratio that follows). Used for
 * the optimistic update and, while the save is in flight, over every refetched list — a
 * live refresh landing mid-save must not show the old values again.
 */
export function applyOrgEdit(orgs: readonly OrgConcurrencyRow[], edit: { orgId: string; weight: number; maxConcurrency: number } | undefined): OrgConcurrencyRow[] {
  if (!edit) return orgs as OrgConcurrencyRow[];
  return orgs.map((o) => (o.organizationId === edit.orgId ? { ...o, weight: edit.weight, maxConcurrency: edit.maxConcurrency, ratio: loadRatio(o.currentInFlight, edit.weight) } : o));
}
