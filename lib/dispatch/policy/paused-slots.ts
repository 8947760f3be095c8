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
