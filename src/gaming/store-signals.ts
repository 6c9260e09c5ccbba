import {
  type Conversation,
  DEFAULT_GAMING_THRESHOLDS,
  type GamingThresholds,
  tallyConversations,
} from "../engine/index.ts";
import type { Queryable } from "../store/database.ts";
import { gamingSignalRows, writeGamingSignals } from "../store/gaming-repo.ts";
import { agentsByAccount } from "../store/roster-repo.ts";

/**
 * Storing conversations' gaming signals outside an import (an import writes its batch's itself,
 * store/import-repo.ts): each agent-day's tallies per kind (src/engine/gaming/day-tally.ts),
 * written in the caller's transaction. A batch's
 * conversations replace the signals of the agent-days they cover. Nothing here alerts: the weekly
 * run (alert-run.ts) reads the days. Conversations of an agent the roster does not know are
 * skipped and counted.
 */

export interface StoredSignals {
  /** Agent-day-kind rows written. */
  written: number;
  /** Conversations whose agent (as the log names them) is nobody in the roster. */
  unknownAgent: number;
}

/**
 * `agentIdOf` maps a conversation's agent as the log names them to an agent id; by default the
 * shop's accounts (agent_accounts: shop = conversation.shop) decide.
 */
export async function storeGamingSignals(
  tx: Queryable,
  conversations: readonly Conversation[],
  now: Date,
  options: {
    agentIdOf?: (shop: string, agent: string) => string | undefined;
    thresholds?: GamingThresholds;
  } = {},
): Promise<StoredSignals> {
  const thresholds = options.thresholds ?? DEFAULT_GAMING_THRESHOLDS;
  const agentIdOf = options.agentIdOf ?? (await accountLookup(tx, conversations));
  const { rows, unknownAgent } = gamingSignalRows(tallyConversations(conversations, thresholds), agentIdOf);
  await writeGamingSignals(tx, rows, now);
  return { written: rows.length, unknownAgent };
}

async function accountLookup(
  tx: Queryable,
  conversations: readonly Conversation[],
): Promise<(shop: string, agent: string) => string | undefined> {
  const byShop = new Map<string, Set<string>>();
  for (const c of conversations) {
    const accounts = byShop.get(c.shop) ?? new Set<string>();
    byShop.set(c.shop, accounts);
    accounts.add(c.agent);
    for (const m of c.messages) if (m.event === "transfer" && m.agent) accounts.add(m.agent);
  }
  const found = new Map<string, Map<string, string>>();
  for (const [shop, accounts] of byShop) found.set(shop, await agentsByAccount(tx, shop, [...accounts]));
  return (shop, agent) => found.get(shop)?.get(agent);
}
