import { redirect } from "next/navigation";
import { currentPrincipal } from "@/lib/auth/current";
import { safeNext } from "@/lib/auth/next-page";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const back = safeNext(typeof next === "string" ? next : null);
  if (await currentPrincipal()) redirect(back ?? "/orgs");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in to Slotwise</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Fair-share concurrency for every tenant.</p>
        <LoginForm next={back} />
      </div>
    </main>
  );
}
