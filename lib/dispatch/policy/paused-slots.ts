// max_paused_slots: of an org's paused executions, ordered by when they paused, the first N
// give their slot back (stop counting as in flight); the rest keep holding theirs. This
// bounds how far pausing can be used to run more work than the caps allow.

export interface PausedExecution {
  id: string;
  /** When it paused: a Date, or a number on any consistent clock (e.g. microseconds). */
  pausedAt: Date | number;
  seq: number;
}

/** Ids of the paused executions that must keep holding a slot. */
export function pausedSlotHolders(paused: readonly PausedExecution[], maxPausedSlots: number): Set<string> {
  const time = (p: PausedExecution) => (typeof p.pausedAt === "number" ? p.pausedAt : p.pausedAt.getTime());
  const ordered = [...paused].sort((a, b) => time(a) - time(b) || a.seq - b.seq);
  return new Set(ordered.slice(Math.max(0, maxPausedSlots)).map((p) => p.id));
}

/** An org cap paused executions count toward, with what holds a slot under it now. */
export interface PausedCap {
  /** "org" (its concurrency cap), "jobs" or "access_requests". */
  cap: "org" | "jobs" | "access_requests";
  limit: number;
  inFlight: number;
}

export interface PausedNow extends PausedExecution {
  holdsSlot: boolean;
  /** The caps among `caps` it counts toward while it holds a slot. */
  caps: readonly PausedCap["cap"][];
}

export interface PausedSlotsImpact {
  /** The effective max_paused_slots this describes. */
  value: number;
  paused: number;
  /** Paused executions that take their slot back under it (hold one again). */
  holdAgain: number;
  /** Paused executions that give their slot back under it. */
  release: number;
  /** Caps the org is above under it, by how many; nothing is killed, dispatch waits below them. */
  over: { cap: PausedCap["cap"]; limit: number; inFlight: number; by: number }[];
  message: string | null;
}

const CAP_WORDS: Record<PausedCap["cap"], string> = { org: "its cap", jobs: "its jobs setting", access_requests: "its access_requests setting" };

/**
 * What setting max_paused_slots to `value` (effective) does right away (docs/lifecycle.md,
 * "Lowering max_paused_slots"): which paused executions hold a slot again or give theirs back,
 * and which caps that leaves the org above. With `value` equal to the setting in force it
 * describes the present: the warning shown after a change.
 */
export function pausedSlotsImpact(paused: readonly PausedNow[], caps: readonly PausedCap[], value: number): PausedSlotsImpact {
  const holders = pausedSlotHolders(paused, value);
  const delta = new Map<PausedCap["cap"], number>();
  let holdAgain = 0;
  let release = 0;
  for (const p of paused) {
    const holds = holders.has(p.id);
    if (holds === p.holdsSlot) continue;
    if (holds) holdAgain++;
    else release++;
    for (const cap of p.caps) delta.set(cap, (delta.get(cap) ?? 0) + (holds ? 1 : -1));
  }
  const over = caps.flatMap((c) => {
    const inFlight = c.inFlight + (delta.get(c.cap) ?? 0);
    return inFlight > c.limit ? [{ cap: c.cap, limit: c.limit, inFlight, by: inFlight - c.limit }] : [];
  });
  const overWords = over.map((o) => `${o.by} over ${CAP_WORDS[o.cap]} of ${o.limit}`).join(" and ");
  let message: string | null = null;
  if (holdAgain > 0) {
    message = `Lowering to ${value} makes ${holdAgain === 1 ? "1 paused execution hold its slot" : `${holdAgain} paused executions hold slots`} again`
      + (over.length > 0 ? `: the org will be ${overWords} until they finish.` : "; no cap is passed.");
  } else if (over.length > 0) {
    message = `The org is ${overWords} until executions finish: nothing is killed, and nothing new starts under ${over.length === 1 ? "that cap" : "those caps"} until it is below.`;
  }
  return { value, paused: paused.length, holdAgain, release, over, message };
}
