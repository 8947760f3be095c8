import { Skeleton } from "@/components/skeleton";

// Only the list's: a loading boundary above /orgs/{orgId} would send the page's status (200)
// before its layout could say 404 for an org that does not exist.

export default function Loading() {
  return <Skeleton label="Loading" className="h-40 rounded-xl bg-zinc-200 dark:bg-zinc-800" />;
}
