import {
  CONVERSATION_KINDS,
  type Conversation,
  DEFAULT_GAMING_THRESHOLDS,
  type GamingThresholds,
  tallyConversations,
} from "../engine/index.ts";
import type { Queryable } from "../store/database.ts";
import { type GamingSignalRow, writeGamingSignals } from "../store/gaming-repo.ts";
import { agentsByAccount } from "../store/roster-repo.ts";

/**
 * Storing a batch's conversations' gaming signals: each agent-day's tallies per kind
 * (src/engine/gaming/day-tally.ts), written in the caller's transaction, the batch's. A batch's
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
  const rows: GamingSignalRow[] = [];
  let unknownAgent = 0;
  for (const tally of tallyConversations(conversations, thresholds)) {
    const agentId = agentIdOf(tally.shop, tally.agent);
    if (agentId === undefined) {
      unknownAgent += tally.figures.sessions;
      continue;
    }
    for (const kind of CONVERSATION_KINDS)
      rows.push({
        shopId: tally.shop,
        agentId,
        day: tally.day,
        kind,
        evidence: tally.kinds[kind],
        conversations: tally.figures.sessions,
      });
  }
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
