/**
 * The contexts in which a forbidden phrase is not the agent saying it (docs/chatlog.md,
 * "Forbidden phrases"), as word lists and the tests phrase-judge.ts runs over a flagged message.
 */

export const SENTENCE_ENDS = "。！？!?；;\n\r…";
export const CLAUSE_ENDS = `${SENTENCE_ENDS}，,、：:～~ \t（）()`;
const OPEN_QUOTES = "「『“‘《";
const CLOSE_QUOTES = "」』”’》";
export const CONDITIONS = ["如果", "要是", "假如", "假设", "万一", "若是", "倘若", "如若", "一旦"];
/** Negations that take the phrase back when right before it, maybe with a verb of saying. */
const NEGATIONS = [
  "不能",
  "不会",
  "不敢",
  "不可以",
  "不可能",
  "不要",
  "不用",
  "不让",
  "别",
  "绝不",
  "从不",
  "从来不",
];
const NEGATIONS_TOO = ["不是", "并非", "并不是", "没有", "禁止", "严禁"];
const SAYING = ["回复", "回答", "承诺", "保证", "宣传", "说", "讲", "写", "标", "用", "让", "說", "講", "寫"];
const TO_CUSTOMER = ["跟您", "对您", "和您", "给您", "跟顾客", "对顾客"];
/** Someone else's words reported: "同事回复不归我管", "顾客说随便你们怎么处理", "很多店都说…". */
const REPORTED =
  /(同事|顾客|客户|买家|客服|机器人|别人|他|她|有的店|很多店|别的店|有些店)[^，。！？]{0,4}(说|回复|回|讲|写|发)(的|了|过)?$/;
/** Words after the phrase that name it as words: "随便你这句话", "你自己看这种回复". */
const NAMED_AS_WORDS = [
  "这句话",
  "这种话",
  "这样的话",
  "这种回复",
  "这个说法",
  "这种说法",
  "这个词",
  "这种词",
  "这类",
];
/** 别 in these words is no "don't" (特别, 区别 …). */
const NOT_BIE = "特分区级告类差识辨性个派";
/** Subjects that are not the agent: a phrase about them is not the agent's own answer. */
const OTHER_SUBJECTS = [
  "您",
  "顾客",
  "客户",
  "买家",
  "大家",
  "很多人",
  "不少人",
  "有些人",
  "有的人",
  "别人",
  "他们",
  "她们",
  "他",
  "她",
  "快递员",
  "快递",
  "物流",
  "厂家",
  "仓库",
  "系统",
  "平台",
];
const AGENT_SUBJECTS = ["我", "咱", "俺", "本店", "小店", "客服", "你"];

export function indexOfAny(text: string, chars: string, from: number): number {
  for (let i = from; i < text.length; i++) if (chars.includes(text[i]!)) return i;
  return text.length;
}

export function lastIndexOfAny(text: string, chars: string, from: number): number {
  for (let i = from; i >= 0; i--) if (chars.includes(text[i]!)) return i;
  return -1;
}

/** Inside quotes (「」“”『』‘’《》 or "…") that close after the phrase: the agent quotes someone. */
export function quoted(text: string, at: number, end: number): boolean {
  let depth = 0;
  let ascii = false;
  for (let i = 0; i < at; i++) {
    const c = text[i]!;
    if (OPEN_QUOTES.includes(c)) depth++;
    else if (CLOSE_QUOTES.includes(c)) depth = Math.max(0, depth - 1);
    else if (c === '"') ascii = !ascii;
  }
  const rest = text.slice(end);
  return (depth > 0 && [...CLOSE_QUOTES].some((c) => rest.includes(c))) || (ascii && rest.includes('"'));
}

export function namedAsWords(before: string, after: string): boolean {
  if (REPORTED.test(before) || NAMED_AS_WORDS.some((w) => after.startsWith(w))) return true;
  // "聊天里的爱买不买是…": the phrase as a noun, after 的 and before 是/这.
  return before.endsWith("的") && /^[是这那]/.test(after);
}

export function negated(before: string): boolean {
  let b = before;
  const say = SAYING.find((s) => b.endsWith(s));
  if (say) b = b.slice(0, -say.length);
  const to = TO_CUSTOMER.find((t) => b.endsWith(t));
  if (to) b = b.slice(0, -to.length);
  if (b.endsWith("别") && NOT_BIE.includes(b.at(-2) ?? "")) return false;
  // 要不要, 是不是 ask (A-not-A); they negate nothing.
  const negation = (n: string) => b.endsWith(n) && !(n.startsWith("不") && b.endsWith(n[1] + n));
  return NEGATIONS.some(negation) || NEGATIONS_TOO.some(negation);
}

/** A question (？ or 吗 closing the clause) in a sentence that addresses the customer as 您 or 亲. */
export function politeQuestion(text: string, at: number, clauseEnd: number): boolean {
  const sentenceStart = lastIndexOfAny(text, SENTENCE_ENDS, at - 1) + 1;
  const sentenceEnd = indexOfAny(text, SENTENCE_ENDS, at);
  const clauseLast = text.slice(at, clauseEnd).trimEnd().at(-1);
  const question = "？?".includes(text[sentenceEnd] ?? "x") || clauseLast === "吗" || clauseLast === "嘛";
  if (!question) return false;
  const sentence = text.slice(sentenceStart, sentenceEnd);
  return sentence.includes("您") || sentence.includes("亲");
}

/** The nearest person word before the phrase in its clause is someone other than the agent. */
export function subjectIsOther(before: string): boolean {
  for (let end = before.length; end > 0; end--) {
    const head = before.slice(0, end);
    const other = OTHER_SUBJECTS.find((w) => head.endsWith(w));
    // 您好 is a greeting, not a subject.
    if (other && !(other === "您" && before[end] === "好")) return true;
    if (AGENT_SUBJECTS.some((w) => head.endsWith(w))) return false;
  }
  return false;
}

/** The phrase at `at` is part of `wording` ("^" first: at the start of the clause). */
export function within(
  text: string,
  at: number,
  phrase: string,
  wording: string,
  clauseStart: number,
): boolean {
  const anchored = wording.startsWith("^");
  const word = anchored ? wording.slice(1) : wording;
  for (let k = word.indexOf(phrase); k >= 0; k = word.indexOf(phrase, k + 1)) {
    const start = at - k;
    if (start >= 0 && text.startsWith(word, start) && (!anchored || start === clauseStart)) return true;
  }
  return false;
}
