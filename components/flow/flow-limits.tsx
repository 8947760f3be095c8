"use client";

import type { Flow } from "@/lib/contract/flows";
import { debounceInWords, retryInWords } from "@/lib/client/limits-view";
import { BacklogMeter, Fact, RateWindowLine } from "@/components/limits/limit-parts";

/** A flow's admission limits now (docs/limits.md): its rate window with the next start's countdown, its backlog's fill level, its debounce; and its retry policy (docs/lifecycle.md). Live. */
export function FlowLimitsCard({ flow, onWindowElapsed }: { flow: Flow; onWindowElapsed: () => unknown }) {
  return (
    <section aria-labelledby="flow-limits-heading" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="flow-limits-heading" className="text-base font-semibold">Admission</h2>
      <dl className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Fact label="Rate limit">
          <RateWindowLine rate={flow.rateLimit} window={flow.rateWindow} onElapsed={onWindowElapsed} testId="flow-rate" />
        </Fact>
        <Fact label="Backlog cap">
          <BacklogMeter queued={flow.queued} scheduled={flow.scheduled} cap={flow.maxQueued} label="Flow backlog of its cap" testId="flow-backlog" />
        </Fact>
        <Fact label="Debounce">
          <span data-testid="flow-debounce">{debounceInWords(flow.debounce)}</span>
        </Fact>
        <Fact label="Retries">
          <span data-testid="flow-retry">{retryInWords(flow.retry)}</span>
        </Fact>
      </dl>
    </section>
  );
}
