// Calls `fn` at once, then at most once per `everyMs`: calls within that time become one
// call at its end, so the last of a burst is never dropped. (Hand-written: ten lines, and the
// trailing-call guarantee is the point; lodash's throttle would be a dependency for it.)
// A monotonic clock: a wall clock stepped back would hold calls back as long.

export function throttle(fn: () => void, everyMs: number): { call(): void; cancel(): void } {
  let quietUntil = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    pending = undefined;
    quietUntil = performance.now() + everyMs;
    fn();
  };
  return {
    call() {
      if (pending) return;
      const wait = quietUntil - performance.now();
      if (wait <= 0) fire();
      else pending = setTimeout(fire, wait);
    },
    cancel() {
      clearTimeout(pending);
      pending = undefined;
    },
  };
}
