import { NextResponse, type NextRequest } from "next/server";
import { ASKED_PATH_HEADER } from "./lib/auth/next-page";

// The console's pages learn which address was asked for (the request header below), so a
// signed-out visitor is sent to the login page with it and comes back to it after signing in
// (lib/auth/current.ts). Nothing else happens here: who may see what is decided by the pages
// and the API, never by this file.

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(ASKED_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/orgs/:path*", "/audit/:path*"] };
