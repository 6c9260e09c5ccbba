import {
  type ChatAdapter,
  ChatSendError,
  type Destination,
  type SendScope,
  type SentMessage,
} from "../chat/adapter.ts";
import type { Reply } from "../chat/reply.ts";
import type { Log } from "../log.ts";
import type { Queryable } from "../store/database.ts";
import type { LocalSpacing } from "./local-spacing.ts";
import { type ClaimedRow, markSent } from "./outbox-repo.ts";
import { reserveSlots } from "./pacing.ts";

/**
 * One attempt at one message, from its reserved slot to its recorded outcome: wait for the slot,
 * honour a platform's later "wait", look for an earlier attempt's post when one may have gone
 * through, leave within this process's spacing, send with a time limit, record.
 */

/**
 * While another replica sends in the same scopes, a send that would leave this long after its
 * slot takes a new one instead: late, it would leave right before the scope's next send, which
 * may be the other replica's, and the two would reach the platform closer than the limit. Two
 * sends N slots apart break a limit of N a second only when the first is later than the second
 * by more than the slots' margin (5% of a second: 50 ms); half of it is left for the way there
 * (with 40 ms, runs with two replicas got a throttled answer or two on the app-wide scopes).
 * Alone, a replica's own spacing (local-spacing.ts) keeps its late sends apart.
 */
const SLOT_LATE_MS = 25;

/** A message claimed for one attempt. */
export interface Claimed {
  row: ClaimedRow;
  /** An earlier attempt, begun then, may have reached the platform: look before sending again. */
  lookSince: Date | undefined;
  adapter: ChatAdapter;
  scopes: SendScope[];
  jobIds: string[];
  /** Read when the message is about to go (not for those put back in the queue). */
  reply?: Reply;
  /** A platform's first send: tells the sends waiting for it when it was answered, or never went. */
  first?: { answered(): void; released(): void };
}

export interface AttemptDeps {
  db: Queryable;
  log: Log;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  spacing: LocalSpacing;
  /** The scopes with the slots' margin, as slots are reserved in them. */
  paced(scopes: readonly SendScope[]): SendScope[];
  /** Until when a platform asked this replica to wait in these scopes (0: it did not). */
  heldUntil(scopes: readonly SendScope[]): number;
  /** Whether another replica has lately reserved slots in the scopes this one uses. */
  othersActive(): boolean;
  /** Passed to reserveSlots, to notice other replicas. */
  seen(scope: string, beforeMs: number, afterMs: number): void;
  /** The slot is too far off to wait for here: back to the queue with it. */
  defer(c: Claimed, slotAt: Date): Promise<void>;
  sendTimeoutMs: number;
  failed(row: ClaimedRow, scopes: readonly SendScope[], error: unknown, lookSince?: Date): Promise<void>;
  maxSlotWaitMs: number;
}

/**
 * Waits for the slot (local time `at`), sends, records the outcome: true. False when the message
 * went back to the queue instead (its new slot too far off; `defer` completed its jobs).
 */
export async function attempt(c: Claimed, at: number, deps: AttemptDeps): Promise<boolean> {
  const { sleep } = deps;
  let slotAt = at;
  let looked = false;
  for (;;) {
    if (slotAt > Date.now()) await sleep(slotAt - Date.now());
    const held = deps.heldUntil(c.scopes);
    if (held > Date.now()) {
      // A platform asked to wait after this slot was taken: a new one, after the wait.
      const next = await newSlot(c, new Date(held), deps);
      if (next === undefined) return false;
      slotAt = next;
      continue;
    }
    if (!looked) {
      looked = true;
      if (await foundSent(c, deps)) {
        c.first?.released();
        return true;
      }
    }
    const before = Date.now();
    const departure = await deps.spacing.leave(c.scopes);
    if (Date.now() - slotAt > SLOT_LATE_MS && deps.othersActive()) {
      departure.stayed();
      deps.log.debug(
        {
          outboxKey: c.row.key,
          platform: c.row.platform,
          lateMs: Date.now() - slotAt,
          spacedMs: Date.now() - before,
        },
        "slot missed; taking a new one",
      );
      const next = await newSlot(c, c.row.dueAt, deps);
      if (next === undefined) return false;
      slotAt = next;
      continue;
    }
    await send(c, deps, () => {
      departure.answered();
      c.first?.answered();
    });
    return true;
  }
}

/** A new slot from `earliest`: its local time, or undefined when it was too far off and the message went back to the queue. */
async function newSlot(c: Claimed, earliest: Date, deps: AttemptDeps): Promise<number | undefined> {
  const [slot] = await reserveSlots(deps.db, [{ scopes: deps.paced(c.scopes), earliest }], deps.seen);
  if (slot!.waitMs <= deps.maxSlotWaitMs) return Date.now() + slot!.waitMs;
  await deps.defer(c, slot!.at);
  return undefined;
}

/** Sends and records the outcome; `answered` is told as soon as the platform has answered. */
async function send(c: Claimed, deps: AttemptDeps, answered: () => void): Promise<void> {
  const to = c.row.destination as Destination;
  let ref: string;
  try {
    if (!c.reply) throw new Error(`the reply of ${c.row.key} was not read`);
    const sending = c.adapter.send(to, c.reply, { idempotencyKey: c.row.key });
    ref = (await withTimeout(sending, c.adapter, deps.sendTimeoutMs).finally(answered)).ref;
  } catch (error) {
    await deps.failed(c.row, c.scopes, error, c.lookSince);
    return;
  }
  await markSent(deps.db, c.row.id, ref, deps.now());
}

function withTimeout<T>(sending: Promise<T>, adapter: ChatAdapter, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ChatSendError(adapter.platform, `no answer within ${timeoutMs} ms`, true)),
      timeoutMs,
    );
  });
  // A send given up on may still answer later; its outcome no longer matters.
  sending.catch(() => {});
  return Promise.race([sending, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Whether an earlier attempt that may have reached the platform did post the message; if so it is
 * recorded sent with that handle. Feishu needs no look (its `uuid` makes the repeat a no-op); a
 * platform that cannot look (no findSent) gets the message again. A look that fails leaves the
 * message for a retry, still looking first: sending blind could post it twice.
 */
async function foundSent(c: Claimed, deps: AttemptDeps): Promise<boolean> {
  if (c.lookSince === undefined || !c.adapter.findSent) return false;
  let found: SentMessage | undefined;
  try {
    found = await c.adapter.findSent(c.row.destination as Destination, c.row.key, c.lookSince);
  } catch (error) {
    await deps.failed(c.row, c.scopes, error, c.lookSince);
    return true;
  }
  if (!found) return false;
  deps.log.info(
    { outboxKey: c.row.key, platform: c.row.platform },
    "an earlier attempt had posted the message",
  );
  await markSent(deps.db, c.row.id, found.ref, deps.now());
  return true;
}
