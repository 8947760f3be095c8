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

/** The body and its length in bytes (sent as Content-Length: the server compresses only what is worth it). */
function bodyOf(data: unknown): { body: string | ReadableStream<Uint8Array>; length: number } {
  if (typeof data !== "object" || data === null || !Object.isFrozen(data)) {
    const text = stringify(data);
    return { body: text, length: Buffer.byteLength(text) };
  }
  let bytes = serialized.get(data);
  if (!bytes) {
    bytes = Buffer.from(stringify(data));
    serialized.set(data, bytes);
  }
  // A stream hands every reply the same bytes; a Uint8Array body would be copied per reply
  // (the Fetch standard's rule), 170 kB each for the org list, and the garbage collector then
  // pauses for all those copies.
  const shared = bytes;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(shared);
      controller.close();
    },
  });
  return { body, length: shared.byteLength };
}

/** JSON that also carries BigInt ids (as numbers) and Dates (as ISO strings). */
export function json(data: unknown, init: ResponseInit & { requestId?: string } = {}): Response {
  const { body, length } = bodyOf(data);
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  headers.set("content-length", String(length));
  headers.set("cache-control", "no-store");
  if (init.requestId) headers.set("x-request-id", init.requestId);
  return new Response(body as BodyInit, { ...init, headers });
}
