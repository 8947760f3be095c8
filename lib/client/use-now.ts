"use client";

import { useEffect, useState } from "react";

/** The current time, re-rendering every `everyMs`: for durations and ages that tick on screen. */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
