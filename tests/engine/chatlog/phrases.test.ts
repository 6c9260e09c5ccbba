import { describe, expect, it } from "vitest";
import { PhraseBook } from "../../../src/engine/chatlog/phrase-book.ts";
import { PhraseJudge, SENTENCE_MAX } from "../../../src/engine/chatlog/phrase-judge.ts";
import { ChatlogAnalyzer, DOCUMENT_PHRASE_RULES, InvalidInput } from "../../../src/engine/index.ts";
import { analyze, day, msg, pairs } from "./helpers.ts";

/** The phrase of the first counting hit in `text`, or null, under `lines`. */
function hit(text: string, lines = ["@documents", "@suggested"]): string | null {
  const book = new PhraseBook(lines);
  const found = new PhraseJudge(book.rules).judge(text, book.enabledFor(""));
  return found ? book.rules[found.rule]!.phrase : null;
}

describe("forbidden phrases as rules", () => {
  it("ships exactly the documents' phrases by default, each with the seed that names it", () => {
    const book = new PhraseBook();
    expect(book.rules.map((r) => r.phrase)).toEqual(["不知道", "随便你", "绝对正品", "絕對正品"]);
    expect(book.rules.every((r) => r.origin === "documents" && /^00[01]: /.test(r.source!))).toBe(true);
    expect(DOCUMENT_PHRASE_RULES.some((r) => r.phrase === "不清楚")).toBe(false);
    expect(hit("这个我不清楚", ["@documents"])).toBeNull();
    expect(hit("这个我不清楚")).toBe("不清楚");
  });

  it("counts the phrase the agent says, and not in a condition, a quote, a question to the customer or after a negation", () => {
    expect(hit("这个我也不知道")).toBe("不知道");
    expect(hit("如果您不知道选哪个尺码，可以告诉我身高体重")).toBeNull();
    expect(hit("您不知道怎么洗的话，吊牌背面有说明")).toBeNull();
    expect(hit("您说的“不知道怎么退”是指找不到入口吗")).toBeNull();
    expect(hit('他说"随便你"是什么意思')).toBeNull();
    expect(hit("您是不是不知道在哪里看物流？")).toBeNull();
    expect(hit("平台规定我们不能说绝对正品")).toBeNull();
    expect(hit("要不要随便你")).toBe("随便你"); // 要不要 asks; it negates nothing
    expect(hit("这都不知道？")).toBe("不知道"); // a question, but not to the customer as 您 or 亲
  });

  it("does not count the phrase of someone else, or named as words", () => {
    expect(hit("很多顾客不知道这款可以机洗")).toBeNull();
    expect(hit("快递员没办法送上楼的话会放驿站")).toBeNull();
    expect(hit("我真不知道")).toBe("不知道");
    expect(hit("顾客说随便你们怎么处理，我们还是退了款")).toBeNull();
    expect(hit("之前同事说的随便你这句话很不礼貌")).toBeNull();
  });

  it("does not count a longer wording that only contains the phrase", () => {
    expect(hit("图片看不清楚，我重新发一张")).toBeNull();
    expect(hit("款式随便你挑，都是现货")).toBeNull();
    expect(hit("亲，不知道您是想要哪个颜色呢")).toBeNull();
    expect(hit("我不知道您说的是哪一款")).toBe("不知道"); // "^不知道您" holds at a clause's start only
  });

  it("finds the first counting occurrence of any rule, past occurrences that do not count", () => {
    expect(hit("如果您不知道也没关系。不过这个我也不知道")).toBe("不知道");
    expect(hit("没办法，随便你")).toBe("没办法");
  });

  it("keeps the sentence around the hit, cut to a sane length", () => {
    const book = new PhraseBook();
    const judge = new PhraseJudge(book.rules);
    const all = book.enabledFor("");
    expect(judge.judge("您好！这个我也不知道。您问问快递吧", all)!.sentence).toBe("这个我也不知道。");
    const long = `${"这款外套的面料是聚酯纤维混纺，".repeat(4)}具体克重我不知道${"，不过穿着很暖和".repeat(5)}`;
    const sentence = judge.judge(long, all)!.sentence;
    expect(sentence.length).toBeLessThanOrEqual(SENTENCE_MAX + 2);
    expect(sentence).toMatch(/^….*具体克重我不知道.*…$/);
  });

  it("reads a shop's own rules and sections, and says what is wrong with a bad line", () => {
    const book = new PhraseBook([
      "@documents",
      "# our own",
      "查不到 | not-in 网上查不到 | agent-subject",
      "[旗舰店]",
      "@suggested",
    ]);
    expect(book.rules.map((r) => `${r.phrase}:${r.origin}`)).toContain("查不到:shop");
    const phrases = (shop: string) =>
      book.rules.filter((_, i) => book.enabledFor(shop)[i]).map((r) => r.phrase);
    expect(phrases("旗舰店")).toContain("没办法");
    expect(phrases("专卖店")).not.toContain("没办法");
    expect(phrases("专卖店")).toContain("查不到");
    const bad = (line: string) => () => new PhraseBook([line]);
    expect(bad("@everything")).toThrow('"@everything" is not @documents or @suggested');
    expect(bad("不好 | loud")).toThrow('"loud" is not an option');
    expect(bad("不好 | not-in 很好")).toThrow('not-in "很好" does not contain "不好"');
    expect(bad("[ ]")).toThrow("names no shop");
    expect(bad(" | whole-word")).toThrow(InvalidInput);
  });

  it("asks for a word segmenter when a rule counts whole words only", () => {
    expect(() => new ChatlogAnalyzer({ forbiddenPhrases: ["不好 | whole-word"] })).toThrow(
      "a whole-word rule needs a word segmenter",
    );
    const words = {
      cut: (text: string) => (text.startsWith("不好意思") ? ["不好意思", text.slice(4)] : [...text]),
    };
    const book = new PhraseBook(["不好 | whole-word"]);
    const judge = new PhraseJudge(book.rules, words);
    expect(judge.judge("不好意思让您久等了", book.enabledFor(""))).toBeNull();
    expect(judge.judge("质量不好就退吧", book.enabledFor(""))).not.toBeNull();
  });

  it("applies a shop's section in the figures: the suggested list in 旗舰店 only", () => {
    const lines = ["A", "B"].flatMap((s, k) => [
      msg(
        `2026-11-17 09:0${k}:00`,
        s,
        `c${s}`,
        "小张",
        "customer",
        "message",
        "",
        "能改地址吗",
        s === "A" ? "旗舰店" : "专卖店",
      ),
      msg(
        `2026-11-17 09:0${k}:30`,
        s,
        `c${s}`,
        "小张",
        "agent",
        "message",
        "",
        "没办法，规定就是这样",
        s === "A" ? "旗舰店" : "专卖店",
      ),
    ]);
    const result = analyze(lines, { forbiddenPhrases: ["@documents", "[旗舰店]", "@suggested"] });
    expect(pairs(day(result, "小张", "2026-11-17", "旗舰店"), "script_compliance")).toEqual({
      script_compliance: "0/1",
    });
    expect(pairs(day(result, "小张", "2026-11-17", "专卖店"), "script_compliance")).toEqual({
      script_compliance: "1/1",
    });
    expect(result.facts.filter((f) => f.kind === "forbidden_phrase")).toEqual([
      expect.objectContaining({
        shop: "旗舰店",
        phrase: "没办法",
        sentence: "没办法，规定就是这样",
        origin: "suggested",
      }),
    ]);
  });
});
