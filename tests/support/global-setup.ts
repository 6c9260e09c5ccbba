/**
 * vitest globalSetup: one real PostgreSQL server for the whole test run (or the server named by
 * KPI_TEST_DATABASE_URL), whose URL tests read with inject("databaseUrl").
 */
import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // With DATABASE_URL set, the tests use that server (they create and drop databases of their own in it).
  const existing = process.env.KPI_TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (existing !== undefined && existing !== "") {
    project.provide("databaseUrl", existing);
    return async () => {};
  }
  const server = await startPostgres();
  project.provide("databaseUrl", server.url);
  return () => server.stop();
}
