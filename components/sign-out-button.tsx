"use client";

import { authClient } from "@/lib/auth/client";

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={async () => {
        await authClient.signOut();
        // A full page load, not router.replace + router.refresh: the refresh could overtake the
        // navigation and re-render the signed-in page (seen in an end-to-end run), and a new
        // document also drops every cached screen and query of the signed-out user.
        window.location.replace("/login");
      }}
      className="rounded-md px-3 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white"
    >
      Sign out
    </button>
  );
}
