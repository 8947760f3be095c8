import { networkInterfaces } from "node:os";

// The addresses this machine answers on, for development only: `npm run dev` must work from
// http://127.0.0.1:3000 and from the machine's network address as well as from localhost.
// Next.js refuses its development resources (hot reload, the client's chunks) to any other
// origin, which left the login page unhydrated and "Sign in" disabled for good; better-auth
// refuses sign-ins from origins it does not trust. Both are given these.

export function localHosts(): string[] {
  const hosts = new Set(["localhost", "127.0.0.1"]);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === "IPv4") hosts.add(a.address);
  }
  return [...hosts];
}
