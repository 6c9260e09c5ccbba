import type { BotMetrics } from "../../src/server/metrics.ts";

/** Inbound requests counted so far, by outcome (handled, duplicate, bad_signature …). */
export async function inboundOutcomes(metrics: BotMetrics): Promise<Record<string, number>> {
  const { values } = await metrics.inbound.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.outcome), v.value]));
}

/** Platform API calls counted so far, by result (ok, retryable, failed). */
export async function outboundResults(metrics: BotMetrics): Promise<Record<string, number>> {
  const { values } = await metrics.outbound.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.result), v.value]));
}
