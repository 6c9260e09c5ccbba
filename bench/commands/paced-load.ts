import type { RawRequest } from "autocannon";
import { quantile } from "./answer-clock.ts";

/**
 * Requests at evenly spaced moments, for comparison with autocannon: its `overallRate` is a
 * budget per connection per second, spent back to back when each second starts, so 200/s arrive
 * as one burst of 200 every second rather than one every 5 ms.
 */
export interface PacedResult {
  ok: number;
  other: number;
  errors: number;
  ackP50: number;
  ackP99: number;
  /** Acks that carried the answer itself (ready within the bot's inline budget), and their latency. */
  inline: number;
  inlineP50: number;
  inlineP99: number;
}

export async function pacedLoad(
  baseUrl: string,
  rate: number,
  seconds: number,
  nextRequest: () => RawRequest,
): Promise<PacedResult> {
  const acks: number[] = [];
  const inline: number[] = [];
  const result = { ok: 0, other: 0, errors: 0 };
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    // Aim at absolute moments, so a late timer does not push every later request back.
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const request = nextRequest();
    const sentAt = performance.now();
    const init: RequestInit = { method: request.method ?? "POST" };
    if (request.headers) init.headers = request.headers;
    if (request.body !== undefined) init.body = request.body;
    pending.push(
      fetch(`${baseUrl}${request.path ?? "/"}`, init).then(
        async (response) => {
          const body = await response.arrayBuffer();
          const took = performance.now() - sentAt;
          acks.push(took);
          if (body.byteLength > 0) inline.push(took);
          if (response.status === 200) result.ok += 1;
          else result.other += 1;
        },
        () => {
          result.errors += 1;
        },
      ),
    );
  }
  await Promise.all(pending);
  return {
    ...result,
    ackP50: quantile(acks, 0.5),
    ackP99: quantile(acks, 0.99),
    inline: inline.length,
    inlineP50: quantile(inline, 0.5),
    inlineP99: quantile(inline, 0.99),
  };
}
