// Under Next.js, `import "server-only"` resolves (the react-server condition) to an empty module
// in server bundles and fails a client bundle. The app's own server process (lib/server/server.ts)
// loads the same modules outside Next's bundler, where the package's default entry throws: there
// it resolves to the empty module too. (Vitest does the same with an alias: vitest.config.ts.)
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
      return specifier === "server-only" ? { url: "data:text/javascript,", shortCircuit: true } : next(specifier, context);
    }`),
);
