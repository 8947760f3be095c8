import Link from "next/link";
import type { ReactNode } from "react";
import { LiveIndicator } from "@/components/live-indicator";
import { LiveProvider } from "@/lib/client/live";
import { MainNav, type NavItem } from "@/components/main-nav";
import { PhoneMenu } from "@/components/phone-menu";
import { SignOutButton } from "@/components/sign-out-button";
import { requirePrincipal } from "@/lib/auth/current";
import { isPlatformAdmin, type Principal } from "@/lib/auth/principal";

export const dynamic = "force-dynamic";

/** Each role sees only what it may use: platform admins the overview and the platform-wide audit log; tenants their org(s). */
function navFor(principal: Principal): NavItem[] {
  if (isPlatformAdmin(principal)) {
    return [
      { href: "/orgs", label: "Overview", section: "/orgs" },
      { href: "/audit", label: "Audit log", section: "/audit" },
    ];
  }
  const orgs = principal.kind === "user" ? principal.memberships : [];
  if (orgs.length === 1) return [{ href: `/orgs/${orgs[0]!.orgId}`, label: "My organization", section: "/orgs" }];
  return [{ href: "/orgs", label: "My organizations", section: "/orgs" }];
}

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const principal = await requirePrincipal();
  const who = principal.kind === "user" ? principal.email : principal.name;
  return (
    <LiveProvider>
      <div className="min-h-screen">
        <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <div className="mx-auto flex max-w-6xl items-center justify-between gap-3 px-4 py-3">
            <div className="flex min-w-0 items-center gap-4">
              <Link href="/orgs" className="mr-2 text-lg font-semibold tracking-tight">Slotwise</Link>
              {/* From the sm breakpoint on, the navigation sits in the header; below it, in the menu. */}
              <nav aria-label="Main" className="hidden items-center gap-4 sm:flex">
                <MainNav items={navFor(principal)} />
              </nav>
            </div>
            <div className="flex items-center gap-3 text-sm">
              <LiveIndicator />
              <span className="hidden truncate text-zinc-500 sm:inline dark:text-zinc-400">{who}{isPlatformAdmin(principal) ? " · platform admin" : ""}</span>
              <div className="hidden sm:block"><SignOutButton /></div>
              <PhoneMenu>
                <nav aria-label="Main" className="flex flex-col items-start gap-1">
                  <MainNav items={navFor(principal)} />
                </nav>
                <p className="break-all border-t border-zinc-200 pt-3 text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">{who}{isPlatformAdmin(principal) ? " · platform admin" : ""}</p>
                <SignOutButton />
              </PhoneMenu>
            </div>
          </div>
        </header>
        <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
      </div>
    </LiveProvider>
  );
}
