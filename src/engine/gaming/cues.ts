/**
 * The word tables the conversation rules read, as data. Positive cues are how a satisfied
 * customer ends (谢谢, 好的, 满意, 👍) or a purchase (已拍, 付款了); negative ones how an unhappy one
 * does. A customer's mood at a point is their last cue before it: a complaint that ends in 谢谢 was
 * resolved, and inviting a rating then is honest.
 */

export const POSITIVE_CUES = [
  "谢谢",
  "感谢",
  "多谢",
  "好的",
  "好滴",
  "满意",
  "不错",
  "太好了",
  "辛苦",
  "👍",
  "nice",
  "thanks",
  "thank you",
] as const;

export const PURCHASE_CUES = ["已拍", "拍下", "下单了", "付款了", "已付款", "已下单", "买了"] as const;

/** Checked first: 不满意 holds 满意. */
export const NEGATIVE_CUES = [
  "不满意",
  "不好",
  "太慢",
  "好慢",
  "差评",
  "投诉",
  "退款",
  "退货",
  "生气",
  "失望",
  "垃圾",
  "骗",
  "怎么还没",
  "还没到",
  "没人管",
  "破损",
  "坏了",
  "什么态度",
] as const;

export type Mood = "positive" | "negative" | "neutral";

/** A customer line's cue: negative words win inside one line. */
export function moodOfLine(text: string): Mood {
  const lower = text.toLowerCase();
  if (NEGATIVE_CUES.some((cue) => lower.includes(cue))) return "negative";
  if (POSITIVE_CUES.some((cue) => lower.includes(cue)) || PURCHASE_CUES.some((cue) => lower.includes(cue)))
    return "positive";
  return "neutral";
}

/**
 * Guidance to a good review (引导好评 / 强制好评, seed 000): an agent asking for the rating's
 * value, not for a rating. Each row a name (shown as evidence) and its pattern.
 */
export const REVIEW_GUIDANCE_PHRASES: readonly { phrase: string; pattern: RegExp }[] = [
  { phrase: "给个好评", pattern: /给(我们|咱们|小店|我)?(个|一个)?好评/ },
  { phrase: "五星好评", pattern: /[五5]星好评|好评[五5]星/ },
  { phrase: "好评返现", pattern: /好评返(现|钱|红包)/ },
  { phrase: "好评送…", pattern: /好评(送|有礼|有红包|领)/ },
  { phrase: "给个五分", pattern: /(给|打)(个|一个)?(五|5)(分|星)/ },
  { phrase: "记得好评", pattern: /(记得|麻烦|务必|一定要?)(给)?(个)?好评/ },
  { phrase: "满意请给五星", pattern: /满意(的话)?(请|就|麻烦)?(给|打)(个)?(五星|5星|好评|满分)/ },
  { phrase: "评价选非常满意", pattern: /(选|点)(一下)?(非常满意|满分)/ },
  { phrase: "晒图好评", pattern: /晒图好评|好评晒图/ },
];

/** Text around a phrase that makes it honest: thanking for a review, refusing to ask for one. */
export const REVIEW_GUIDANCE_EXCEPTIONS: readonly RegExp[] = [
  /感谢(您|亲)?的?(支持和)?好评/,
  /谢谢(您|亲)?的?好评/,
  /不(会|用|必|需要?)[^，。！？,.!?]{0,6}(好评|五星|5星)/,
  /好评如潮|好评率|好评度/,
];

/** The guidance phrase an agent line holds, if any. */
export function guidancePhraseIn(text: string): string | undefined {
  if (REVIEW_GUIDANCE_EXCEPTIONS.some((pattern) => pattern.test(text))) return undefined;
  return REVIEW_GUIDANCE_PHRASES.find((row) => row.pattern.test(text))?.phrase;
}

/** A line that ends a sentence: punctuation, a tilde, an emoji or a closing bracket. */
const SENTENCE_END = /[。！？!?.…~～）)」』】\]>]$|\p{Extended_Pictographic}$/u;
const LINK = /^(https?:\/\/|www\.)\S+$/i;

export function endsSentence(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === "" || SENTENCE_END.test(trimmed) || LINK.test(trimmed);
}
