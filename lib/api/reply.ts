// How a route's result becomes a reply: JSON with no-store and the request id, shared results
// encoded once.

/**
 * Bodies of results shared between concurrent requests (coalesced reads, lib/db/coalesce.ts):
 * a hundred callers of the 1,000-org list get one object, so it is serialized and encoded once.
 */
const serialized = new WeakMap<object, Uint8Array>();

function stringify(data: unknown): string {
  try {
    // Without a replacer V8 takes its fast path (about twice as fast on large lists); only
    // a BigInt (Prisma's BigInt columns) makes it throw, and then the replacer handles it.
    return JSON.stringify(data);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? Number(v) : v));
  }
}

function bodyOf(data: unknown): string | ReadableStream<Uint8Array> {
  if (typeof data !== "object" || data === null || !Object.isFrozen(data)) return stringify(data);
  let bytes = serialized.get(data);
  if (!bytes) {
    bytes = Buffer.from(stringify(data));
    serialized.set(data, bytes);
  }
  // A stream hands every reply the same bytes; a Uint8Array body would be copied per reply
  // (the Fetch standard's rule), 170 kB each for the org list, and the garbage collector then
  // pauses for all those copies.
  const shared = bytes;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(shared);
      controller.close();
    },
  });
}

/** JSON that also carries BigInt ids (as numbers) and Dates (as ISO strings). */
export function json(data: unknown, init: ResponseInit & { requestId?: string } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  headers.set("cache-control", "no-store");
  if (init.requestId) headers.set("x-request-id", init.requestId);
  return new Response(bodyOf(data) as BodyInit, { ...init, headers });
}
