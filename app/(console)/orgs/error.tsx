"use client";

export default function OrgsError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-6 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
      <p>Something went wrong loading this page.</p>
      <button type="button" onClick={reset} className="mt-3 rounded-md bg-red-600 px-3 py-1.5 font-medium text-white">Try again</button>
    </div>
  );
}
