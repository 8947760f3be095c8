import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { authenticate, type Principal } from "./principal";

/** For server components: the signed-in person, or a redirect to the login page. */
export async function requirePrincipal(): Promise<Principal> {
  const principal = await authenticate({ headers: await headers() });
  if (!principal) redirect("/login");
  return principal;
}

export async function currentPrincipal(): Promise<Principal | null> {
  return authenticate({ headers: await headers() });
}
