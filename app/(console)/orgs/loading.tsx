import { Skeleton } from "@/components/skeleton";

export default function Loading() {
  return <Skeleton label="Loading" className="h-40 rounded-xl bg-zinc-200 dark:bg-zinc-800" />;
}
