import { watchChanges, type Scope } from "./watch-changes";

// The live-update stream (GET /api/events, docs/api.md "Live updates"): server-sent events that
// say "this changed" so dashboards refetch at once instead of polling.

const KEEPALIVE_EVERY_MS = 15_000;

const encoder = new TextEncoder();

/** One event in the text/event-stream framing. */
export function sseEvent(event: string, data = ""): string {
  return `event: ${event}\ndata:${data ? ` ${data}` : ""}\n\n`;
}

/**
 * `ready` once, then `change` with `{"orgIds": [...], "platform": bool}` as soon as changes in
 * `scope` commit (by any app instance: PostgreSQL NOTIFY), at most two a second. If the database
 * connection that hears changes drops, the stream ends and the browser reconnects by itself (the
 * `retry` it was given, spread over 2–5 s so an instance's viewers do not all come back at once);
 * its next `ready` tells the client to refetch what it may have missed.
 */
export async function changeStream(scope: Scope, signal: AbortSignal): Promise<Response> {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let ended = false;
  const send = (text: string) => {
    if (!ended) controller?.enqueue(encoder.encode(text));
  };
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(keepAlive);
    watch.close();
    try {
      controller?.close();
    } catch {
      // the reader has gone already
    }
  };
  // Subscribed before the stream opens: a database that cannot be reached is an error reply, not an empty stream.
  const watch = await watchChanges(scope, { onChange: (changed) => send(sseEvent("change", JSON.stringify(changed))), onLost: end });
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      send(`retry: ${2_000 + Math.floor(Math.random() * 3_000)}\n${sseEvent("ready")}`);
      keepAlive = setInterval(() => send(": keep-alive\n\n"), KEEPALIVE_EVERY_MS);
      // The client may have gone while the handler waited: an abort then has already fired.
      if (signal.aborted) end();
      else signal.addEventListener("abort", end);
    },
    cancel: end,
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive" },
  });
}
