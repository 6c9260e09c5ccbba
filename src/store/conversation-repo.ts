import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import {
  type Conversation,
  type ConversationFacts,
  conversationFacts,
  DEFAULT_GAMING_THRESHOLDS,
  GamingTallies,
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
 * (keptOfAgentDay). They are read before the transaction, a chunk at a time (keepConversations),
 * and only the candidates are held. Every conversation read is also tallied for the gaming
 * detectors (ConversationKeep.gaming), whose rows the import writes beside these.
 */

export interface ConversationContext {
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

/** A conversation worth keeping so far, its facts worked out; masked only once it is stored. */
interface Candidate {
  shopId: string;
  account: string;
  conversation: Conversation;
  facts: ConversationFacts;
  badReview: boolean;
  strata: QaStratum[];
  sampleKey: string;
}

/**
 * The candidates of a batch's conversations, per account-day: each stratum's k smallest sample
 * keys, merged chunk by chunk (bottom-k sketches merge), so what is held is at most 60 per
 * account-day whatever the file's size. Agents are resolved when stored: the k smallest of an
 * agent's day are among those of each of its accounts'.
 */
export class ConversationKeep {
  private readonly byAccountDay = new Map<string, Candidate[]>();
  private readonly badReviewRefs = new Set<string>();
  /** Every conversation read, tallied for the gaming detectors (the keep holds only candidates). */
  readonly gaming = new GamingTallies(DEFAULT_GAMING_THRESHOLDS);
  read = 0;

  constructor(
    facts: readonly SourceFact[],
    /** The configured shop id of a conversation's `shop` (undefined: not a configured shop). */
    private readonly shopOf: (shop: string) => string | undefined,
  ) {
    for (const f of facts) {
      if (f.kind !== "bad_review") continue;
      this.badReviewRefs.add(f.ref);
      if (typeof f.detail.session === "string") this.badReviewRefs.add(f.detail.session);
    }
  }

  add(conversations: readonly Conversation[]): void {
    const touched = new Map<string, Candidate[]>();
    for (const c of conversations) {
      this.read++;
      const shopId = this.shopOf(c.shop);
      if (shopId === undefined || c.messages.length === 0) continue;
      this.gaming.add([c.shop === shopId ? c : { ...c, shop: shopId }]);
      const facts = conversationFacts(c);
      const badReview = this.badReviewRefs.has(c.session);
      const key = `${shopId}\u0000${c.agent}\u0000${c.day}`;
      const candidate = {
        shopId,
        account: c.agent,
        conversation: c,
        facts,
        badReview,
        strata: strataOf(facts, badReview),
        sampleKey: sampleKeyOf(shopId, c.session),
      };
      touched.set(key, [...(touched.get(key) ?? this.byAccountDay.get(key) ?? []), candidate]);
    }
    for (const [key, candidates] of touched) this.byAccountDay.set(key, keptOfAgentDay(candidates));
  }

  /** Account names by shop, to resolve to agents: those with candidates, and those tallied. */
  accounts(): Map<string, Set<string>> {
    const byShop = new Map<string, Set<string>>();
    const add = (shopId: string, account: string) =>
      byShop.set(shopId, (byShop.get(shopId) ?? new Set()).add(account));
    for (const [first] of this.byAccountDay.values()) if (first) add(first.shopId, first.account);
    for (const tally of this.gaming.tallies()) add(tally.shop, tally.agent);
    return byShop;
  }

  candidates(): Candidate[] {
    return [...this.byAccountDay.values()].flat();
  }
}

/** Reads a batch's conversations (an array, or chunks) into their candidates. */
export async function keepConversations(
  chunks: Iterable<readonly Conversation[]> | AsyncIterable<readonly Conversation[]>,
  facts: readonly SourceFact[],
  shopOf: (shop: string) => string | undefined,
): Promise<ConversationKeep> {
  const keep = new ConversationKeep(facts, shopOf);
  for await (const chunk of chunks) keep.add(chunk);
  return keep;
}

/** The rows to store: the candidates of known agents, the agent-day's kept only, masked. */
export function conversationRows(
  keep: ConversationKeep,
  context: ConversationContext,
): StoredConversationRow[] {
  const byAgentDay = new Map<string, (Candidate & { agentId: string })[]>();
  for (const candidate of keep.candidates()) {
    const agentId = context.agentOf(candidate.shopId, candidate.account);
    if (agentId === undefined) continue;
    const key = `${agentId}\u0000${candidate.conversation.day}`;
    byAgentDay.set(key, [...(byAgentDay.get(key) ?? []), { ...candidate, agentId }]);
  }
  // A session read twice (a file that repeats one) is stored once, as last read.
  const bySession = new Map<string, StoredConversationRow>();
  for (const candidates of byAgentDay.values())
    for (const { shopId, agentId, conversation: c, facts, badReview, strata, sampleKey } of keptOfAgentDay(
      candidates,
    ))
      bySession.set(`${shopId}\u0000${c.session}`, {
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
        strata,
        transcript: maskedTranscript(c),
        sampleKey,
        importRunId: context.importRunId,
      });
  return [...bySession.values()];
}

const CHUNK = 500;

/**
 * Stores a batch's conversations; the same session again (shop and session) replaces its row in
 * place, keeping its id, so a review or rating of it stays attached. Returns how many were kept.
 */
export async function storeConversations(
  tx: Queryable,
  keep: ConversationKeep,
  context: ConversationContext,
): Promise<number> {
  const rows = conversationRows(keep, context);
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
