import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // A real PostgreSQL server on loopback for the tests that need one (tests/support/postgres.ts).
    globalSetup: ["tests/support/global-setup.ts"],
    // Property tests and CLI runs spawn processes; the default 5 s is tight on a 2-core machine.
    testTimeout: 30_000,
    // A first PGlite (compiling its WebAssembly) takes 2 s on an idle machine, far more on a busy one.
    hookTimeout: 30_000,
    // Files share one module registry instead of each importing the sources and starting PGlite
    // again: on this 2-core machine (one test worker) the suite took 1,060 s instead of 1,462 s,
    // module imports 17 s instead of 100 s. Tests keep no state between files (each opens its own
    // store; tests/support/stores.ts empties the shared in-memory PGlite between tests).
    isolate: false,
  },
});
