/** Runs once when a Next.js server instance starts; the work is Node.js-only. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}
