import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/**
 * What /metrics reports, in a registry of its own (not prom-client's global one), so every bot in
 * a test process counts separately.
 */
export interface BotMetrics {
  registry: Registry;
  /** Inbound chat requests by platform and what became of them. */
  inbound: Counter<"platform" | "outcome">;
  /** Time from a parsed command to its Reply, by platform and command. */
  commandSeconds: Histogram<"platform" | "command">;
  /** Calls to a platform's API by platform and result (ok, retryable, failed). */
  outbound: Counter<"platform" | "result">;
  /**
   * Answers whose reply URL (DingTalk's sessionWebhook) named a host not allowed: each went through
   * the platform's API instead. More than none says someone is sending forged callbacks.
   */
  refusedReplyUrls: Counter<"platform">;
}

export type InboundOutcome =
  | "handled"
  | "duplicate"
  | "bad_signature"
  | "stale"
  | "malformed"
  /** A body over the route's limit, refused by the server before it was read whole. */
  | "too_large"
  | "ignored"
  | "error";

export function createMetrics(): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    inbound: new Counter({
      name: "kpi_inbound_requests_total",
      help: "Inbound chat requests (events, commands, clicks) by platform and outcome",
      labelNames: ["platform", "outcome"],
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: "kpi_command_seconds",
      help: "Time to answer a /kpi command",
      labelNames: ["platform", "command"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    outbound: new Counter({
      name: "kpi_outbound_calls_total",
      help: "Calls to chat platform APIs by platform and result",
      labelNames: ["platform", "result"],
      registers: [registry],
    }),
    refusedReplyUrls: new Counter({
      name: "kpi_refused_reply_urls_total",
      help: "Answers whose reply URL named a host not allowed, sent through the platform's API instead",
      labelNames: ["platform"],
      registers: [registry],
    }),
  };
}
