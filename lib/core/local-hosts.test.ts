import { networkInterfaces } from "node:os";
import { expect, it } from "vitest";
import { localHosts } from "./local-hosts";

it("names localhost, 127.0.0.1 and every IPv4 address of this machine", () => {
  const ipv4 = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => a.family === "IPv4").map((a) => a.address));
  expect(localHosts()).toEqual(expect.arrayContaining(["localhost", "127.0.0.1", ...ipv4]));
});
