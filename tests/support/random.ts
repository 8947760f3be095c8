// The tests' one seeded random number generator (mulberry32: small, fast, good enough), so a
// run that fails can be repeated exactly. Each test derives its stream from TEST_SEED and a
// label of its own; TEST_SEED=<n> replays a run (the failing tests print theirs).
export const TEST_SEED = Number(process.env.TEST_SEED ?? 20_261_125);

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A stream of its own for each label (a worker's number, a test's name) under TEST_SEED. */
export function randomFor(label: string | number, seed = TEST_SEED): () => number {
  let h = seed >>> 0;
  for (const c of String(label)) h = Math.imul(h ^ c.charCodeAt(0), 2_654_435_761) >>> 0;
  return seededRandom(h);
}
