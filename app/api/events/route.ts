import { route } from "@/lib/api/handler";
import { orgScope } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { changeVersion } from "@/lib/live/change-version";

export const dynamic = "force-dynamic";

const CHECK_EVERY_MS = 500;
const KEEPALIVE_EVERY_MS = 15_000;

/**
 * Server-sent events: `event: change` whenever anything in the caller's orgs changed (an
 * execution moved, a setting was edited — by any app instance), checked twice a second, so
 * dashboards refetch within a second. The browser reconnects by itself if it drops.
 */
export const GET = route({
  auth: "required",
  handler: async ({ principal, request }) => {
    const scope = orgScope(principal);
    const encoder = new TextEncoder();
    let timer: ReturnType<typeof setInterval> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        let last = await changeVersion(pool(), scope);
        let quietFor = 0;
        controller.enqueue(encoder.encode(`retry: 2000\nevent: ready\ndata: ${last}\n\n`));
        timer = setInterval(async () => {
          try {
            const now = await changeVersion(pool(), scope);
            quietFor += CHECK_EVERY_MS;
            if (now !== last) {
              last = now;
              quietFor = 0;
              controller.enqueue(encoder.encode(`event: change\ndata: ${now}\n\n`));
            } else if (quietFor >= KEEPALIVE_EVERY_MS) {
              quietFor = 0;
              controller.enqueue(encoder.encode(": keep-alive\n\n"));
            }
          } catch {
            clearInterval(timer);
            controller.close();
          }
        }, CHECK_EVERY_MS);
        request.signal.addEventListener("abort", () => {
          clearInterval(timer);
          try {
            controller.close();
          } catch {
            // already closed
          }
        });
      },
      cancel() {
        clearInterval(timer);
      },
    });
    return new Response(stream, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive" },
    });
  },
});
