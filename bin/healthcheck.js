#!/usr/bin/env node
// The container's health check (the Dockerfile's HEALTHCHECK): asks the bot in this container for
// GET /healthz and exits 0 when it answers 200, 1 otherwise (Docker reads 1 as unhealthy; 2 is
// reserved). Node rather than curl, which the slim image lacks; no project module is loaded, so
// a check every 30 s costs one small process. The line printed is what `docker inspect` shows:
// the checks' names and states, never a request body or a secret.
import { z } from "zod";

const env = z
  .object({
    // The image sets KPI_PORT=3000; 0 (a free port, for tests) cannot be checked from outside.
    KPI_PORT: z
      .string()
      .regex(/^\d+$/, "must be a port number")
      .transform(Number)
      .refine((port) => port >= 1 && port <= 65535, "must be a port from 1 to 65535")
      .default(3000),
    KPI_HOST: z.string().optional(),
  })
  .safeParse(process.env);

if (!env.success) {
  const issue = env.error.issues[0];
  console.log(`unhealthy: ${issue?.path.join(".")} ${issue?.message}`);
  process.exit(1);
}

const { KPI_PORT: port, KPI_HOST: host } = env.data;
// Listening on every address (0.0.0.0, the image's default) is reached on loopback.
const address = host === undefined || host === "" || host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
const url = `http://${address.includes(":") ? `[${address}]` : address}:${port}/healthz`;

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4_000) });
  const body = await response.json().catch(() => ({}));
  const checks = Object.entries(body.checks ?? {})
    .map(([name, state]) => `${name}: ${state}`)
    .join(", ");
  console.log(`${response.status === 200 ? "healthy" : "unhealthy"}: ${response.status} (${checks})`);
  process.exit(response.status === 200 ? 0 : 1);
} catch (error) {
  // fetch's own error says only "fetch failed"; its cause says why (ECONNREFUSED, a time-out …).
  const cause = error instanceof Error ? (error.cause ?? error) : undefined;
  const reason = cause?.code ?? cause?.message ?? String(error);
  console.log(`unhealthy: ${url} did not answer (${reason})`);
  process.exit(1);
}
