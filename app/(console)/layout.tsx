import Link from "next/link";
import type { ReactNode } from "react";
import { LiveIndicator } from "@/components/live-indicator";
import { SignOutButton } from "@/components/sign-out-button";
import { requirePrincipal } from "@/lib/auth/current";
import { isPlatformAdmin } from "@/lib/auth/principal";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const principal = await requirePrincipal();
  const who = principal.kind === "user" ? principal.email : principal.name;
  return (
    <div className="min-h-screen">
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-6xl items-center justify-between px-4 py-3">
          <nav aria-label="Main" className="flex items-center gap-6">
            <Link href="/orgs" className="text-lg font-semibold tracking-tight">Slotwise</Link>
            <Link href="/orgs" className="text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-white">
              {isPlatformAdmin(principal) ? "Organizations" : "My organization"}
            </Link>
          </nav>
          <div className="flex items-center gap-3 text-sm">
            <LiveIndicator />
            <span className="text-zinc-500 dark:text-zinc-400">{who}{isPlatformAdmin(principal) ? " · platform admin" : ""}</span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </div>
  );
}
