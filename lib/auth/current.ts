import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { ASKED_PATH_HEADER, safeNext } from "./next-page";
import { authenticate, type Principal } from "./principal";

/** For server components: who is signed in, looked up once per request (layout and page share it). */
export const currentPrincipal = cache(async (): Promise<Principal | null> => authenticate({ headers: await headers() }));

/** The signed-in person, or a redirect to the login page that brings them back here afterwards (proxy.ts names the page). */
export async function requirePrincipal(): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) {
    const asked = safeNext((await headers()).get(ASKED_PATH_HEADER));
    redirect(asked ? `/login?next=${encodeURIComponent(asked)}` : "/login");
  }
  return principal;
}
