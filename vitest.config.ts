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
  },
});
