import { Skeleton } from "@/components/skeleton";

// Inside the org's layout, so the layout decides 404 before anything streams.

export default function Loading() {
  return <Skeleton label="Loading" className="h-40 rounded-xl bg-zinc-200 dark:bg-zinc-800" />;
}
