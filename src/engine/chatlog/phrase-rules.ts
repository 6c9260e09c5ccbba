/**
 * Forbidden phrases as rules (docs/chatlog.md, "Forbidden phrases"): a phrase, and the wordings
 * that contain it without being it. The documents' phrases are the default; the suggested ones,
 * which no document names, are there for a shop to switch on. Contexts every rule shares (quotes,
 * conditions, questions to the customer, negations) are in phrase-judge.ts.
 */

export type PhraseOrigin = "documents" | "suggested" | "shop";

export interface PhraseRule {
  phrase: string;
  origin: PhraseOrigin;
  /** For the documents' phrases: the seed that names it, in its own words. */
  source?: string;
  /**
   * The phrase says something of its subject (不知道, 没办法): with the customer or a third party
   * as the subject ("您不知道的话", "很多顾客不知道", "快递员没办法送") it is not the agent's answer.
   */
  agentSubjectOnly?: boolean;
  /**
   * Longer wordings that contain the phrase and mean something else ("看不清楚" holds "不清楚";
   * "随便你挑" offers a free choice). A leading "^" ties one to the start of its clause.
   */
  notIn?: readonly string[];
  /** Counts only where a word segmenter cuts the text at both ends of the phrase. */
  wholeWord?: boolean;
}

/** The documents' forbidden phrases, each with the seed that names it (the default rules). */
export const DOCUMENT_PHRASE_RULES: readonly PhraseRule[] = [
  {
    phrase: "不知道",
    origin: "documents",
    source: "000: 是否使用禁用话术(如 “不知道”“随便你”)",
    agentSubjectOnly: true,
    // "不知道您…" opening a clause is the polite "I wonder whether you…"; 知不知道 asks.
    notIn: ["^不知道您", "^不知道亲", "知不知道"],
  },
  {
    phrase: "随便你",
    origin: "documents",
    source: "000: 是否使用禁用话术(如 “不知道”“随便你”)",
    // Offering the customer a free pick is not "suit yourself".
    notIn: ["随便你挑", "随便你选", "随便你拍", "随便你搭", "随便你们挑", "随便你们选"],
  },
  {
    phrase: "绝对正品",
    origin: "documents",
    source: "001: 話術違規率(如承諾“絕對正品”等違規表述), in simplified characters",
  },
  {
    phrase: "絕對正品",
    origin: "documents",
    source: "001: 話術違規率(如承諾“絕對正品”等違規表述), as written",
  },
];

/**
 * Phrases many shops ban that no document names: brushing the customer off or shirking (seed 000
 * names the behaviour, 推诿责任, not these words). Off unless a shop switches them on.
 */
export const SUGGESTED_PHRASE_RULES: readonly PhraseRule[] = [
  {
    phrase: "不清楚",
    origin: "suggested",
    agentSubjectOnly: true,
    // Seeing, hearing or telling apart unclearly is about the picture or the line, not knowledge.
    notIn: ["看不清楚", "听不清楚", "分不清楚", "拍不清楚", "写不清楚", "^不清楚您"],
  },
  { phrase: "没办法", origin: "suggested", agentSubjectOnly: true },
  { phrase: "你自己看", origin: "suggested" },
  { phrase: "爱买不买", origin: "suggested" },
  { phrase: "不归我管", origin: "suggested" },
];

/** The default of `forbiddenPhrases`: the documents' phrases only. */
export const DEFAULT_PHRASE_LINES: readonly string[] = ["@documents"];

/** The documents' phrases, as plain text. */
export const DEFAULT_FORBIDDEN_PHRASES: readonly string[] = DOCUMENT_PHRASE_RULES.map((r) => r.phrase);
