import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Slack's response URLs, played by a loopback server that notes when each answer arrives: a
 * slash command is acked empty at once, so the ack's latency says little; the time from sending
 * `/kpi me` to its scorecard reaching the response URL is what a person waits for.
 */
export interface AnswerClock {
  urlFor(id: string): string;
  sent(id: string): void;
  /** Milliseconds from send to answer, for every answered request so far. */
  waits(): number[];
  /** Forgets everything so far (after a warm-up): late answers to earlier requests no longer count. */
  reset(): void;
  close(): Promise<void>;
}

export async function startAnswerClock(): Promise<AnswerClock> {
  const sentAt = new Map<string, number>();
  const waits: number[] = [];
  const server = createServer((req, res) => {
    const id = decodeURIComponent((req.url ?? "").slice("/r/".length));
    req.resume();
    req.on("end", () => {
      const at = sentAt.get(id);
      if (at !== undefined) {
        waits.push(performance.now() - at);
        sentAt.delete(id);
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    urlFor: (id) => `${base}/r/${encodeURIComponent(id)}`,
    sent: (id) => void sentAt.set(id, performance.now()),
    waits: () => waits,
    reset() {
      waits.splice(0);
      sentAt.clear();
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The q-quantile (0..1) of the values, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
