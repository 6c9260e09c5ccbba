import type { OutgoingMessage } from "../../src/delivery/outbox-repo.ts";
import type { ReplicaMessage } from "./replicas.ts";
import { lowerBound, type Tally } from "./tally.ts";

/** Time ÷ bound must stay within this. */
export const TARGET_RATIO = 1.1;
/**
 * Throttled answers a scope may get before the run counts as a ban risk. A paced client can still
 * be throttled now and then: two sends one interval apart by the database's clock reach the
 * platform closer together when one is held up on its way (a busy event loop, another replica's
 * send). One such answer, honoured, is how a well-behaved client looks to a platform; one that
 * keeps hitting the limit, or sends again before the wait it was told is over, is what platforms
 * ban (DingTalk silences a webhook robot for ten minutes; Slack may revoke a token). So: at most 2
 * in any scope over a run, and no call at all during a told wait.
 */
export const THROTTLED_PER_SCOPE = 2;

export interface RunFigures {
  planned: readonly OutgoingMessage[];
  tally: Tally;
  startedAt: number;
  recordedAt: number;
  queued: ReplicaMessage;
  counts: Record<string, number>;
  stopped: readonly ReplicaMessage[];
  load: [number, number];
  busySeconds: number;
}

export interface Verdict {
  ok: boolean;
  seconds: number;
  bound: number;
  ratio: number;
  throttled: number;
  duplicates: number;
  losses: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Prints a run's figures (with `detail`, the arrivals before each throttled call) and judges it. */
export function report(f: RunFigures, detail: boolean): Verdict {
  const { tally: t, startedAt } = f;
  const bound = lowerBound(t.scopes);
  const elapsedMs = t.lastAt - startedAt;
  const ratio = elapsedMs / 1000 / bound.seconds;
  const keys = new Set(f.planned.map((m) => m.key));
  const duplicates = [...t.arrivals].filter(([, n]) => n > 1).length;
  const strangers = [...t.arrivals.keys()].filter((k) => !keys.has(k)).length;
  const losses = [...keys].filter((k) => !t.arrivals.has(k)).length;
  const throttled = t.scopes.filter((s) => s.throttled > 0);
  const throttledTotal = throttled.reduce((n, s) => n + s.throttled, 0);
  const ignoredWaits = t.scopes.reduce((n, s) => n + s.ignoredWaits, 0);
  const worstScope = Math.max(0, ...t.scopes.map((s) => s.throttled));

  console.log(`  queued:     ${f.queued.queued} in ${seconds(f.queued.ms ?? 0)}`);
  console.log(
    `  time:       ${seconds(elapsedMs)} to the last message at the platforms, ` +
      `${seconds(f.recordedAt - startedAt)} until all recorded sent`,
  );
  console.log(`  bound:      ${bound.seconds.toFixed(2)} s (${bound.scope})`);
  for (const [platform, times] of Object.entries(t.times)) {
    if (times.length < 2) continue;
    const first = times[0]! - startedAt;
    const last = times.at(-1)! - startedAt;
    console.log(
      `  ${platform.padEnd(10)}  ${times.length} from ${seconds(first)} to ${seconds(last)}, ` +
        `${((last - first) / (times.length - 1)).toFixed(2)} ms apart on average`,
    );
  }
  console.log(`  ratio:      ${ratio.toFixed(3)} (target ≤ ${TARGET_RATIO})`);
  console.log(`  throughput: ${((f.planned.length / elapsedMs) * 1000).toFixed(1)} messages/s`);
  console.log(
    `  throttled:  ${throttledTotal} answers in ${throttled.length} scope(s), at most ${worstScope} in one` +
      `${throttled.length ? ` (${throttled.map((s) => `${s.scope}: ${s.throttled}`).join(", ")})` : ""}; ` +
      `${ignoredWaits} call(s) during a told wait`,
  );
  if (detail) {
    for (const s of throttled) {
      const platform = s.scope.split(":")[0] as keyof Tally["times"];
      for (const at of s.throttledAt) {
        const before = (t.times[platform] ?? []).filter((x) => x > at - s.rule.windowMs && x <= at);
        const gaps = before.slice(-12).map((x, i, all) => (i === 0 ? "" : ` ${x - all[i - 1]!}`));
        console.log(
          `    ${s.scope} throttled at ${seconds(at - startedAt)}: ${before.length} of the platform's ` +
            `messages in the window before; last gaps (ms)${gaps.join("")}`,
        );
      }
    }
  }
  console.log(
    `  exactly once: ${t.arrivals.size - duplicates - strangers} keys; duplicates ${duplicates}, ` +
      `losses ${losses}, unknown ${strangers}; outbox ${JSON.stringify(f.counts)}`,
  );
  const replicas = f.stopped.map(
    (s) =>
      `${((s.cpuMs ?? 0) / 1000).toFixed(1)} CPU-s (lag p99 ${(s.lagP99Ms ?? 0).toFixed(0)} ms, ` +
      `max ${(s.lagMaxMs ?? 0).toFixed(0)} ms)`,
  );
  console.log(
    `  machine:    load ${f.load[0].toFixed(2)} → ${f.load[1].toFixed(2)}, ${f.busySeconds.toFixed(1)} CPU-s busy; ` +
      `replicas ${replicas.join(", ")}`,
  );
  const ok =
    duplicates === 0 &&
    losses === 0 &&
    strangers === 0 &&
    (f.counts.dead ?? 0) === 0 &&
    worstScope <= THROTTLED_PER_SCOPE &&
    ignoredWaits === 0 &&
    ratio <= TARGET_RATIO;
  console.log(`  ${ok ? "PASS" : "FAIL"}`);
  return {
    ok,
    seconds: elapsedMs / 1000,
    bound: bound.seconds,
    ratio,
    throttled: throttledTotal,
    duplicates,
    losses,
  };
}
