// Read coalescing, the way group commit works for writes: while a read for a key is running,
// every caller that asks for the same key waits for the *next* read, which starts as soon as
// the running one ends and answers all of them at once. Under load the database sees at most
// two reads per key at a time instead of one per request, and no caller ever gets a result
// from a read that started before it asked — so nothing is served stale (unlike a TTL
// cache, which would break "the screen is current within a second of a change").

export function coalesced<K, T>(load: (key: K) => Promise<T>): (key: K) => Promise<T> {
  const running = new Map<K, Promise<T>>();
  const next = new Map<K, Promise<T>>();
  const read = (key: K): Promise<T> => {
    const current = running.get(key);
    if (!current) {
      const started = load(key).finally(() => running.delete(key));
      running.set(key, started);
      return started;
    }
    let queued = next.get(key);
    if (!queued) {
      queued = current.then(
        () => undefined,
        () => undefined,
      ).then(() => {
        next.delete(key);
        return read(key);
      });
      next.set(key, queued);
    }
    return queued;
  };
  return read;
}
