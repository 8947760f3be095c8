import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { Readable } from "node:stream";

/**
 * Route handlers speak the web's Request and Response; node:http speaks IncomingMessage and
 * ServerResponse. These two functions carry one into the other the way Next.js does for its
 * own route handlers: every header (repeated ones too, plus the x-forwarded-* ones Next.js
 * fills in), the body as a stream, a signal that
 * aborts when the client goes away (long polls and event streams end with it), and replies
 * that keep each Set-Cookie separate.
 */
export function toRequest(req: IncomingMessage, res: ServerResponse): Request {
  // As Next.js builds a route handler's URL: https when the socket is TLS or a proxy in front says so.
  const forwardedProto = req.headers["x-forwarded-proto"];
  const protocol = (req.socket as TLSSocket).encrypted || (typeof forwardedProto === "string" && forwardedProto.includes("https")) ? "https" : "http";
  const url = new URL(req.url ?? "/", `${protocol}://${req.headers.host ?? "localhost"}`);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  // What Next.js adds when a proxy in front has not: better-auth's sign-in rate limit counts
  // per client address, and takes it from x-forwarded-for.
  const added = { "x-forwarded-host": url.host, "x-forwarded-port": String(req.socket.localPort ?? ""), "x-forwarded-proto": protocol, "x-forwarded-for": req.socket.remoteAddress ?? "" };
  for (const [name, value] of Object.entries(added)) if (value && !headers.has(name)) headers.set(name, value);
  const gone = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) gone.abort();
  });
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, {
    method: req.method,
    headers,
    signal: gone.signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

/**
 * Writes `response` to `res`. A body is read whole and sent with its length, except an event
 * stream, which is passed on chunk by chunk as it is produced (and cancelled when the client
 * goes away) — so a streaming reply must say `text/event-stream`.
 */
export async function sendResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (!response.body) {
    res.end();
    return;
  }
  if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    // Chunk by chunk rather than arrayBuffer(), which copies them all into one more buffer.
    const chunks: Uint8Array[] = [];
    let length = 0;
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks.push(read.value);
      length += read.value.byteLength;
    }
    res.setHeader("content-length", length);
    res.cork();
    for (const chunk of chunks) res.write(chunk);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  res.once("close", cancel);
  res.flushHeaders();
  let finished = false;
  try {
    while (!res.destroyed) {
      const { done, value } = await reader.read();
      finished = done;
      if (done || res.destroyed) break;
      if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
    }
    res.end();
  } catch (error) {
    res.destroy(error as Error);
  } finally {
    res.off("close", cancel);
    // A client gone before this began never fires "close" again: the stream must still hear it.
    if (!finished) cancel();
  }
}
