"use client";

import { useRouter } from "next/navigation";
import { authClient } from "@/lib/auth/client";
import { useHydrated } from "@/lib/client/use-hydrated";

export function SignOutButton() {
  const router = useRouter();
  // Visible before React attaches its handler; a click in that moment would do nothing.
  const ready = useHydrated();
  return (
    <button
      type="button"
      disabled={!ready}
      onClick={async () => {
        await authClient.signOut();
        router.replace("/login");
        router.refresh();
      }}
      className="rounded-md px-3 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 disabled:opacity-60 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white"
    >
      Sign out
    </button>
  );
}
