import { route } from "@/lib/api/route";
import { changeStream } from "@/lib/live/sse";

export const dynamic = "force-dynamic";

/** Server-sent events: `ready`, then `change` (which orgs) as soon as a change in the caller's orgs commits. */
export const GET = route({
  need: (who) => who.signedIn(),
  doc: { summary: "Server-sent events: `ready`, then `change` with the orgs that changed as soon as a change in your orgs commits (text/event-stream)", produces: "text/event-stream" },
  handler: ({ grant, request }) => changeStream(grant.scope, request.signal),
});
