import {
  CLAUSE_ENDS,
  CONDITIONS,
  indexOfAny,
  lastIndexOfAny,
  namedAsWords,
  negated,
  politeQuestion,
  quoted,
  SENTENCE_ENDS,
  subjectIsOther,
  within,
} from "./phrase-contexts.ts";
import type { PhraseRule } from "./phrase-rules.ts";

/**
 * Decides whether a forbidden phrase found in an agent's message counts (docs/chatlog.md,
 * "Forbidden phrases"). Only messages the byte matcher flagged come here, so this may take its
 * time over strings. What makes an occurrence not count, for every rule: it is quoted or named as
 * words ("同事说的随便你这句话"), it sits in a condition ("如果您不知道", "…的话"), in a question to
 * the customer, or after a negation ("不能说绝对正品"); and per rule: a longer wording that only
 * contains it, another subject.
 */

/** Cuts text into words; `kpi metrics` passes jieba's (src/sources), the engine has none. */
export interface WordSegmenter {
  cut(text: string): readonly string[];
}

export interface PhraseHit {
  /** The broken rule's index in the judge's rules. */
  rule: number;
  /** The sentence around the phrase, at most SENTENCE_MAX characters. */
  sentence: string;
}

export const SENTENCE_MAX = 60;

export class PhraseJudge {
  constructor(
    private readonly rules: readonly PhraseRule[],
    private readonly words?: WordSegmenter,
  ) {}

  /** The first occurrence in `text` of an enabled rule's phrase that counts, or null. */
  judge(text: string, enabled: Uint8Array): PhraseHit | null {
    let rule = -1;
    let first = text.length;
    for (let r = 0; r < this.rules.length; r++) {
      if (!enabled[r]) continue;
      const phrase = this.rules[r]!.phrase;
      for (let at = text.indexOf(phrase); at >= 0 && at < first; at = text.indexOf(phrase, at + 1)) {
        if (this.counts(text, at, this.rules[r]!)) {
          rule = r;
          first = at;
          break;
        }
      }
    }
    if (rule < 0) return null;
    return { rule, sentence: sentenceAround(text, first, this.rules[rule]!.phrase.length) };
  }

  /** Whether the occurrence of `rule`'s phrase at `at` counts. */
  counts(text: string, at: number, rule: PhraseRule): boolean {
    const end = at + rule.phrase.length;
    const clauseStart = lastIndexOfAny(text, CLAUSE_ENDS, at - 1) + 1;
    const clauseEnd = indexOfAny(text, CLAUSE_ENDS, end);
    const before = text.slice(clauseStart, at);
    const after = text.slice(end, clauseEnd);
    if (quoted(text, at, end) || namedAsWords(before, after)) return false;
    if (CONDITIONS.some((c) => before.includes(c)) || after.includes("的话")) return false;
    if (negated(before)) return false;
    if (politeQuestion(text, at, clauseEnd)) return false;
    if (rule.agentSubjectOnly && subjectIsOther(before)) return false;
    for (const wording of rule.notIn ?? []) {
      if (within(text, at, rule.phrase, wording, clauseStart)) return false;
    }
    if (rule.wholeWord && this.words && !wholeWords(this.words, text, at, end)) return false;
    return true;
  }
}

/** Whether the segmenter cuts the phrase's sentence at both ends of the phrase. */
function wholeWords(words: WordSegmenter, text: string, at: number, end: number): boolean {
  const start = lastIndexOfAny(text, SENTENCE_ENDS, at - 1) + 1;
  const stop = indexOfAny(text, SENTENCE_ENDS, end);
  const cuts = new Set<number>([start]);
  let offset = start;
  for (const word of words.cut(text.slice(start, stop))) {
    offset += word.length;
    cuts.add(offset);
  }
  return cuts.has(at) && cuts.has(end);
}

/** The sentence holding text[at, at + length), cut to SENTENCE_MAX characters around the phrase. */
export function sentenceAround(text: string, at: number, length: number): string {
  let start = lastIndexOfAny(text, SENTENCE_ENDS, at - 1) + 1;
  let end = indexOfAny(text, SENTENCE_ENDS, at + length);
  if (end < text.length && !"\n\r".includes(text[end]!)) end++; // keep its 。！？
  while (start < at && /\s/.test(text[start]!)) start++;
  while (end > at + length && /\s/.test(text[end - 1]!)) end--;
  if (end - start <= SENTENCE_MAX) return text.slice(start, end);
  const side = Math.floor((SENTENCE_MAX - length) / 2);
  const from = Math.max(start, keepPair(text, at - side));
  const to = Math.min(end, keepPair(text, at + length + side));
  return `${from > start ? "…" : ""}${text.slice(from, to)}${to < end ? "…" : ""}`;
}

/** Moves a cut off the middle of a surrogate pair (an emoji). */
function keepPair(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff ? i + 1 : i;
}
