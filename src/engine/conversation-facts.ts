import { DOCUMENT_PHRASE_RULES, type PhraseRule } from "./chatlog/phrase-rules.ts";
import type { Conversation } from "./conversation.ts";

/**
 * What the bot knows of a conversation before anyone reads it, and what quality review samples
 * by: the customer's first and longest wait for the agent, the rating, whether it was handed on,
 * and the forbidden phrases in the agent's lines. A plain substring match with each rule's
 * exceptions (notIn): the import's analyser judges phrases with word segmentation for the figures;
 * here a hit only puts a conversation in the reviewer's way, and the reviewer judges it.
 */

export interface ConversationFacts {
  startedAt: number;
  endedAt: number;
  /** Seconds from the customer's first line to the first agent reply; null when never answered. */
  firstWaitSeconds: number | null;
  /** The longest the customer waited for an agent's reply, in seconds; null when never answered. */
  longestWaitSeconds: number | null;
  rating: number | null;
  transferred: boolean;
  /** Forbidden phrases found in the agent's lines (each once). */
  phraseHits: string[];
  /** Lines written by the agent. */
  agentLines: number;
}

export function conversationFacts(
  conversation: Conversation,
  rules: readonly PhraseRule[] = DOCUMENT_PHRASE_RULES,
): ConversationFacts {
  const messages = conversation.messages;
  let firstWait: number | null = null;
  let longest: number | null = null;
  let waitingSince: number | null = null;
  let transferred = false;
  let agentLines = 0;
  const hits = new Set<string>();
  for (const m of messages) {
    if (m.event === "transfer") transferred = true;
    if (m.event !== "message") continue;
    if (m.from === "customer") {
      if (waitingSince === null) waitingSince = m.at;
    } else if (m.from === "agent") {
      agentLines++;
      if (waitingSince !== null) {
        const wait = Math.max(0, Math.round((m.at - waitingSince) / 1000));
        if (firstWait === null) firstWait = wait;
        longest = Math.max(longest ?? 0, wait);
        waitingSince = null;
      }
      for (const rule of rules) if (phraseIn(m.text, rule)) hits.add(rule.phrase);
    }
  }
  return {
    startedAt: messages[0]?.at ?? 0,
    endedAt: messages.at(-1)?.at ?? 0,
    firstWaitSeconds: firstWait,
    longestWaitSeconds: longest,
    rating: conversation.rating?.score ?? null,
    transferred,
    phraseHits: [...hits],
    agentLines,
  };
}

function phraseIn(text: string, rule: PhraseRule): boolean {
  if (!text.includes(rule.phrase)) return false;
  let rest = text;
  for (const wording of rule.notIn ?? []) rest = rest.replaceAll(wording.replace(/^\^/, ""), "");
  return rest.includes(rule.phrase);
}
