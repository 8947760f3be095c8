"use client";

import { useState } from "react";
import { secondaryButton } from "@/components/limits/limit-parts";

/** A secret the server returns once (a new token, an initial password): shown with a copy button and the warning that it is not shown again. */
export function SecretOnce({ label, secret }: { label: string; secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
      <p className="font-medium">{label}: store it now, it is not shown again.</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code data-testid="secret" className="min-w-0 max-w-full break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-950">{secret}</code>
        <button
          type="button"
          className={secondaryButton}
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false))}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
