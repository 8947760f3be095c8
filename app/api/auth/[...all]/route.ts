import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/lib/auth/auth";

export const dynamic = "force-dynamic";

// better-auth serves sign-in, sign-out and session under /api/auth/*: its own handler, its own
// replies (docs/api.md), not one of the API's operations.
export const GET = (request: Request) => toNextJsHandler(auth()).GET(request);
export const POST = (request: Request) => toNextJsHandler(auth()).POST(request);
