import type { CommandDeps } from "../../src/bot/commands/command-deps.ts";
import type { Config } from "../../src/config.ts";
import type { Conversation } from "../../src/engine/conversation.ts";
import { dayKey, parseDay } from "../../src/engine/index.ts";
import { storeGamingSignals } from "../../src/gaming/store-signals.ts";
import { gamingStyleFrom, honestStyle } from "../../src/sources/demo/gaming-styles.ts";
import { streamOf } from "../../src/sources/demo/random.ts";
import type { Store } from "../../src/store/database.ts";

/**
 * Five weeks of conversations of the nudge fixture's shop (2026-10-26 … 2026-11-29): 小张 splits
 * his answers in the last week (2026-W48), 小李 is honest throughout; stored as a batch's
 * conversations are, in one transaction.
 */
export const JUDGED_WEEK = "2026-W48";

export function fiveWeeks(): Conversation[] {
  const first = parseDay("2026-10-26");
  const xiaoZhang = gamingStyleFrom("split_answers", "blatant", "2026-11-23");
  const conversations: Conversation[] = [];
  for (let d = first; d < first + 35; d++) {
    if ((d - first) % 7 === 6) continue; // Sundays off
    const day = dayKey(d);
    conversations.push(
      ...xiaoZhang({
        shop: "s1",
        agent: "小张",
        day,
        index: d,
        random: streamOf(1, d, 1),
      }),
      ...honestStyle({ shop: "s1", agent: "小李", day, index: d, random: streamOf(1, d, 2) }),
    );
  }
  return conversations;
}

export async function storeFiveWeeks(store: Store, now: Date) {
  return store.db.transaction((tx) => storeGamingSignals(tx, fiveWeeks(), now));
}

export function commandDepsOf(store: Store, config: Config, now: Date): CommandDeps {
  return {
    db: store.db,
    now: () => now,
    teams: new Map(config.teams.map((t) => [t.id, t])),
    admins: new Set(config.admins),
    defaultLang: "zh-CN",
  };
}
