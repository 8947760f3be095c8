export default function Loading() {
  return <div className="h-40 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" aria-label="Loading" />;
}
