import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import {
  type Conversation,
  conversationFacts,
  keptOfAgentDay,
  maskCustomer,
  maskText,
  type QaStratum,
  strataOf,
} from "../engine/index.ts";
import type { SourceFact } from "../sources/source.ts";
import type { Queryable } from "./database.ts";
import { qaConversations } from "./schema.ts";

/**
 * The one place a batch's conversations are stored (in the import's transaction): facts worked
 * out, customer data masked, and per agent-day only what the weekly sample could pick
 * (keptOfAgentDay). Anything else that reads every conversation of a batch as it is stored (the
 * gaming detectors) is called from here.
 */

export interface ConversationContext {
  /** The configured shop id of a conversation's `shop` (undefined: not a configured shop). */
  shopOf(shop: string): string | undefined;
  /** The agent id of an account in a shop (undefined: not known; the conversation is skipped). */
  agentOf(shopId: string, account: string): string | undefined;
  importRunId: number | null;
}

export type StoredConversationRow = typeof qaConversations.$inferInsert;

export function sampleKeyOf(shopId: string, session: string): string {
  return createHash("sha256").update(`${shopId}\u0000${session}`).digest("hex").slice(0, 16);
}

/** What a message keeps in the stored transcript: the text masked, names of agents as given. */
function maskedTranscript(conversation: Conversation): string {
  return JSON.stringify(conversation.messages.map((m) => ({ ...m, text: maskText(m.text) })));
}

/** The rows to store: the conversations of known agents, masked, the agent-day's candidates only. */
export function conversationRows(
  conversations: readonly Conversation[],
  facts: readonly SourceFact[],
  context: ConversationContext,
): StoredConversationRow[] {
  const badReviewRefs = new Set<string>();
  for (const f of facts) {
    if (f.kind !== "bad_review") continue;
    badReviewRefs.add(f.ref);
    if (typeof f.detail.session === "string") badReviewRefs.add(f.detail.session);
  }
  const byAgentDay = new Map<string, (StoredConversationRow & { strata: QaStratum[] })[]>();
  for (const c of conversations) {
    const shopId = context.shopOf(c.shop);
    const agentId = shopId === undefined ? undefined : context.agentOf(shopId, c.agent);
    if (shopId === undefined || agentId === undefined || c.messages.length === 0) continue;
    const facts = conversationFacts(c);
    const badReview = badReviewRefs.has(c.session);
    const row = {
      shopId,
      agentId,
      day: c.day,
      session: c.session,
      customer: maskCustomer(c.customer),
      startedAt: new Date(facts.startedAt),
      endedAt: new Date(facts.endedAt),
      firstWaitSeconds: facts.firstWaitSeconds,
      longestWaitSeconds: facts.longestWaitSeconds,
      rating: facts.rating,
      transferred: facts.transferred,
      phraseHits: facts.phraseHits,
      badReview,
      strata: strataOf(facts, badReview),
      transcript: maskedTranscript(c),
      sampleKey: sampleKeyOf(shopId, c.session),
      importRunId: context.importRunId,
    };
    const key = `${agentId}\u0000${c.day}`;
    byAgentDay.set(key, [...(byAgentDay.get(key) ?? []), row]);
  }
  return [...byAgentDay.values()].flatMap((rows) => keptOfAgentDay(rows));
}

const CHUNK = 500;

/**
 * Stores a batch's conversations; the same session again (shop and session) replaces its row in
 * place, keeping its id, so a review or rating of it stays attached. Returns how many were kept.
 */
export async function storeConversations(
  tx: Queryable,
  conversations: readonly Conversation[],
  facts: readonly SourceFact[],
  context: ConversationContext,
): Promise<number> {
  const rows = conversationRows(conversations, facts, context);
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx
      .insert(qaConversations)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoUpdate({
        target: [qaConversations.shopId, qaConversations.session],
        set: Object.fromEntries(
          (
            [
              "agent_id",
              "day",
              "customer",
              "started_at",
              "ended_at",
              "first_wait_seconds",
              "longest_wait_seconds",
              "rating",
              "transferred",
              "phrase_hits",
              "bad_review",
              "strata",
              "transcript",
              "sample_key",
              "import_run_id",
            ] as const
          ).map((column) => [camel(column), sql.raw(`excluded.${column}`)]),
        ),
      });
  }
  return rows.length;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
