import { route } from "@/lib/api/route";
import { orgScope } from "@/lib/auth/principal";
import { watchChanges, type ChangeWatch } from "@/lib/live/watch-changes";

export const dynamic = "force-dynamic";

const KEEPALIVE_EVERY_MS = 15_000;

/**
 * Server-sent events: `event: change` as soon as a change in the caller's orgs commits (an
 * execution moved, a setting was edited — by any app instance; PostgreSQL NOTIFY), at most
 * two a second, so dashboards refetch at once without polling. If the database connection
 * that hears changes drops, the stream ends and the browser reconnects by itself; its next
 * `ready` tells the client to refetch what it may have missed.
 */
export const GET = route({
  auth: "required",
  handler: async ({ principal, request }) => {
    const encoder = new TextEncoder();
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
    const watch: ChangeWatch = await watchChanges(orgScope(principal), { onChange: () => send("event: change\ndata:\n\n"), onLost: end });
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
        // Spread out: when an instance loses its notifications, its browsers do not all come back at once.
        send(`retry: ${2_000 + Math.floor(Math.random() * 3_000)}\nevent: ready\ndata:\n\n`);
        keepAlive = setInterval(() => send(": keep-alive\n\n"), KEEPALIVE_EVERY_MS);
        // The client may have gone while this handler waited: an abort then has already fired.
        if (request.signal.aborted) end();
        else request.signal.addEventListener("abort", end);
      },
      cancel: end,
    });
    return new Response(stream, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive" },
    });
  },
});
