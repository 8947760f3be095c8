import { STATUS_CODES } from "node:http";

// The one error reply of the API: RFC 9457 problem details, with the request id. Route
// handlers reach it through lib/api/route.ts; the API server (lib/server/api-app.ts)
// uses it directly for the few errors it answers itself.

export function problem(status: number, code: string, detail: string, requestId: string, extra: Record<string, unknown> = {}): Response {
  return new Response(
    JSON.stringify({ type: `https://slotwise.dev/problems/${code}`, title: titleFor(status), status, code, detail, ...extra, requestId }),
    { status, headers: { "content-type": "application/problem+json", "x-request-id": requestId, "cache-control": "no-store" } },
  );
}

/** RFC 9110's reason phrases (Node's table still has the older names for 413 and 422). */
function titleFor(status: number): string {
  return ({ 413: "Content Too Large", 422: "Unprocessable Content" } as Record<number, string>)[status] ?? STATUS_CODES[status] ?? "Error";
}

