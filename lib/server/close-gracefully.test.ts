import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { closeGracefully } from "./close-gracefully";

let server: http.Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server = undefined;
});

async function listen(handler: http.RequestListener): Promise<{ port: number; agent: http.Agent }> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, agent: new http.Agent({ keepAlive: true }) };
}

function get(port: number, agent: http.Agent, path = "/"): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ port, host: "127.0.0.1", path, agent }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c));
      res.on("end", () => resolve(body));
      res.on("error", reject);
    }).on("error", reject);
  });
}

describe("closeGracefully", () => {
  it("does not wait for the grace period over an idle keep-alive connection", { timeout: 5_000 }, async () => {
    const { port, agent } = await listen((_req, res) => res.end("ok"));
    expect(await get(port, agent)).toBe("ok"); // the agent keeps the connection open
    await closeGracefully(server!, 60_000);
  });

  it("lets a request in flight finish, and refuses new connections meanwhile", { timeout: 5_000 }, async () => {
    let finish!: () => void;
    const { port, agent } = await listen((_req, res) => {
      finish = () => res.end("finished");
    });
    const inFlight = get(port, agent);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = closeGracefully(server!, 60_000);
    await expect(get(port, new http.Agent())).rejects.toThrow(/ECONNREFUSED/);
    finish();
    expect(await inFlight).toBe("finished");
    await closed;
  });

  it("after the grace period closes what never ends, which its handler sees", { timeout: 5_000 }, async () => {
    let handlerSawClose!: () => void;
    const sawClose = new Promise<void>((resolve) => (handlerSawClose = resolve));
    const { port } = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" }).write("event: ready\n\n");
      res.on("close", handlerSawClose);
    });
    const stream = new Promise<void>((resolve) => {
      http.get({ port, host: "127.0.0.1" }, (res) => res.on("close", () => resolve()).resume());
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await closeGracefully(server!, 200);
    await Promise.all([sawClose, stream]);
  });
});
