import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { readMessagesInParallel } from "../../src/sources/chatlog-parallel.ts";
import { analyseChatlog } from "../../src/sources/chatlog-source.ts";
import { jiebaWords } from "../../src/sources/jieba-words.ts";

/**
 * A shop that forbids "不好" but not "不好意思" writes `不好 | whole-word`: jieba (the real
 * package, prebuilt) cuts 不好意思 as one word, so the apology does not count.
 */
describe("whole-word phrase rules, cut by jieba", () => {
  it("cuts Chinese text into dictionary words", () => {
    const words = jiebaWords();
    expect(words.cut("不好意思让您久等了")).toEqual(["不好意思", "让", "您", "久等", "了"]);
    expect(words.cut("图片看不清楚的话我重新发")).toContain("看不清楚");
  });

  it("counts 不好 as a whole word, not inside 不好意思, on one core and on two", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kpi-jieba-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "messages.csv");
    const lines = ["ts,session,shop,customer,agent,from,event,to_agent,text"];
    const at = (s: number) => new Date(Date.parse("2026-11-17T01:00:00Z") + s * 1000).toISOString();
    for (let s = 0; s < 400; s++) {
      const reply = s % 4 === 0 ? "质量不好就退吧" : "不好意思让您久等了";
      lines.push(`${at(s * 10)},S${s},店A,c${s},小张,customer,message,,衣服起球了`);
      lines.push(`${at(s * 10 + 5)},S${s},店A,c${s},小张,agent,message,,${reply}`);
    }
    writeFileSync(path, `${lines.join("\n")}\n`);
    const options = { forbiddenPhrases: ["@documents", "不好 | whole-word"] };
    const one = await analyseChatlog({ messages: path }, options, 1);
    expect(one.problems).toEqual([]);
    expect(one.agentDays[0]!.values.script_compliance).toEqual({ num: 300, den: 400 });
    const hits = one.facts.filter((f) => f.kind === "forbidden_phrase");
    expect(hits).toHaveLength(100);
    expect(hits[0]).toMatchObject({ phrase: "不好", sentence: "质量不好就退吧", origin: "shop" });
    // The reading thread cannot be sent a segmenter: it makes its own jieba.
    const two = await readMessagesInParallel(
      path,
      path,
      { ...options, wordSegmenter: jiebaWords(), sessionGap: 50 },
      2,
      { problems: [], problemCount: 0 },
      0,
    );
    expect(two!.agentDays).toEqual(one.agentDays);
    expect(two!.facts).toEqual(one.facts);
  });
});
