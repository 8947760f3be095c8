import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { authenticate, type Principal } from "./principal";

/** For server components: who is signed in, looked up once per request (layout and page share it). */
export const currentPrincipal = cache(async (): Promise<Principal | null> => authenticate({ headers: await headers() }));

/** The signed-in person, or a redirect to the login page. */
export async function requirePrincipal(): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect("/login");
  return principal;
}
