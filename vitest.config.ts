import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // A real PostgreSQL server on loopback for the tests that need one (tests/support/postgres.ts).
    globalSetup: ["tests/support/global-setup.ts"],
    // Property tests and CLI runs spawn processes; the default 5 s is tight on a 2-core machine.
    testTimeout: 30_000,
  },
});
