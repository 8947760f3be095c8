"use client";

import { ApiError } from "@/lib/client/fetch-json";

/** A refused request, visibly: what failed, the server's words, and each field it named. */
export function ProblemAlert({ title, error, onDismiss }: { title: string; error: Error; onDismiss?: () => void }) {
  const fields = error instanceof ApiError ? error.errors : [];
  return (
    <div role="alert" className="flex items-start justify-between gap-4 rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
      <div>
        <p className="font-semibold">{title}</p>
        {/* A validation error's detail is its field list joined: show one or the other. */}
        {fields.length === 0 && <p className="mt-1">{error.message}</p>}
        {fields.length > 0 && (
          <ul className="mt-1 list-disc pl-5">
            {fields.map((f) => (
              <li key={`${f.field}:${f.message}`}>
                <span className="font-mono">{f.field}</span>: {f.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {onDismiss && (
        <button type="button" onClick={onDismiss} className="rounded-md px-2 py-1 text-xs font-medium hover:bg-red-100 dark:hover:bg-red-900/50">
          Dismiss
        </button>
      )}
    </div>
  );
}
