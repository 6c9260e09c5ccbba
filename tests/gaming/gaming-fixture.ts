import type { CommandDeps } from "../../src/bot/commands/command-deps.ts";
import type { Config } from "../../src/config.ts";
import type { Conversation } from "../../src/engine/conversation.ts";
import { DEFAULT_GAMING_THRESHOLDS, dayKey, parseDay, tallyConversations } from "../../src/engine/index.ts";
import { gamingStyleFrom, honestStyle } from "../../src/sources/demo/gaming-styles.ts";
import { streamOf } from "../../src/sources/demo/random.ts";
import type { Store } from "../../src/store/database.ts";
import { gamingSignalRows, writeGamingSignals } from "../../src/store/gaming-repo.ts";
import { agentsByAccount } from "../../src/store/roster-repo.ts";

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

/**
 * The five weeks' gaming signals as an import writes a batch's (store/import-repo.ts): each
 * agent-day's tallies, for the accounts the roster knows, in one transaction.
 */
export async function storeFiveWeeks(store: Store, now: Date): Promise<{ unknownAgent: number }> {
  const tallies = tallyConversations(fiveWeeks(), DEFAULT_GAMING_THRESHOLDS);
  return store.db.transaction(async (tx) => {
    const accounts = new Map<string, Map<string, string>>();
    for (const shop of new Set(tallies.map((t) => t.shop)))
      accounts.set(
        shop,
        await agentsByAccount(tx, shop, [
          ...new Set(tallies.filter((t) => t.shop === shop).map((t) => t.agent)),
        ]),
      );
    const { rows, unknownAgent } = gamingSignalRows(tallies, (shop, account) =>
      accounts.get(shop)?.get(account),
    );
    await writeGamingSignals(tx, rows, now);
    return { unknownAgent };
  });
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
