import type http from "node:http";

// Stops taking connections, closes idle keep-alive ones, and lets requests in flight finish.
// Event streams and long polls never end by themselves: after `graceMs` their sockets are
// closed, which aborts their requests (and so ends their handlers).

export async function closeGracefully(server: http.Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // close() ends the connections idle at that moment; a keep-alive connection whose request
  // finishes later would otherwise stay open until its keep-alive timeout.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearInterval(sweep);
  clearTimeout(deadline);
}
