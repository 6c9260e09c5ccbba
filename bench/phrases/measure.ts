/**
 * How well the forbidden-phrase rules do on the labelled agent replies of
 * tests/fixtures/phrases/labelled.csv (text, violation yes/no, phrase, category, domain). Each
 * configuration judges every reply as script_compliance does: a reply is a hit if any rule in
 * force counts in it. A reply is a true violation for a configuration if it is labelled one and
 * its phrase is among the configuration's phrases. bench/phrases/run.ts prints the table that
 * docs/chatlog.md shows; tests/bench/phrases.test.ts holds the two to each other.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { PhraseBook } from "../../src/engine/chatlog/phrase-book.ts";
import { PhraseJudge, type WordSegmenter } from "../../src/engine/chatlog/phrase-judge.ts";
import type { PhraseRule } from "../../src/engine/chatlog/phrase-rules.ts";
import { jiebaWords } from "../../src/sources/jieba-words.ts";

export type Category = "polite" | "violation" | "near-miss";

export interface LabelledReply {
  text: string;
  violation: boolean;
  /** The phrase the label is about ("" for replies that only look like one). */
  phrase: string;
  category: Category;
  domain: string;
}

export const LABELLED_FILE = join(import.meta.dirname, "../../tests/fixtures/phrases/labelled.csv");

export function readLabelled(path = LABELLED_FILE): LabelledReply[] {
  const rows = parse(readFileSync(path, "utf8"), { columns: true, bom: true }) as Record<string, string>[];
  return rows.map((row, i) => {
    const where = `${path}:${i + 2}`;
    if (row.violation !== "yes" && row.violation !== "no")
      throw new Error(`${where}: violation is yes or no`);
    if (!["polite", "violation", "near-miss"].includes(row.category!))
      throw new Error(`${where}: category is polite, violation or near-miss, not "${row.category}"`);
    return {
      text: row.text!,
      violation: row.violation === "yes",
      phrase: row.phrase!,
      category: row.category as Category,
      domain: row.domain!,
    };
  });
}

export interface Judged {
  reply: LabelledReply;
  expected: boolean;
  hit: boolean;
}

export interface Measured {
  configuration: string;
  judged: Judged[];
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Hits on replies labelled polite use. */
  politeHits: number;
}

interface Configuration {
  name: string;
  phrases: readonly string[];
  /** Whether a reply holds a counting phrase. */
  hit(text: string): boolean;
}

function judging(
  name: string,
  lines: string[],
  words?: WordSegmenter,
  every?: Partial<PhraseRule>,
): Configuration {
  const book = new PhraseBook(lines);
  const rules = book.rules.map((rule) => ({ ...rule, ...every }));
  const judge = new PhraseJudge(rules, words);
  const mask = book.enabledFor("");
  return { name, phrases: rules.map((r) => r.phrase), hit: (text) => judge.judge(text, mask) !== null };
}

/** The list and the plain substring match the engine used before the rules. */
const BEFORE = ["不知道", "随便你", "绝对正品", "不清楚", "没办法", "你自己看", "爱买不买", "不归我管"];

export function configurations(): Configuration[] {
  return [
    judging("the documents' rules (the default)", ["@documents"]),
    judging("the documents' and the suggested rules", ["@documents", "@suggested"]),
    {
      name: "before: the old list as plain substrings",
      phrases: BEFORE,
      hit: (text) => BEFORE.some((p) => text.includes(p)),
    },
    judging(
      "the documents' and the suggested rules, whole words only (jieba)",
      ["@documents", "@suggested"],
      jiebaWords(),
      {
        wholeWord: true,
      },
    ),
  ];
}

export function measure(configuration: Configuration, replies: readonly LabelledReply[]): Measured {
  const judged = replies.map((reply) => ({
    reply,
    expected: reply.violation && configuration.phrases.includes(reply.phrase),
    hit: configuration.hit(reply.text),
  }));
  const count = (f: (j: Judged) => boolean) => judged.filter(f).length;
  return {
    configuration: configuration.name,
    judged,
    truePositives: count((j) => j.expected && j.hit),
    falsePositives: count((j) => !j.expected && j.hit),
    falseNegatives: count((j) => j.expected && !j.hit),
    politeHits: count((j) => j.hit && j.reply.category === "polite"),
  };
}

const percent = (num: number, den: number) => (den === 0 ? "—" : `${((100 * num) / den).toFixed(1)}%`);

/** The markdown table of docs/chatlog.md. */
export function phraseTable(results: readonly Measured[]): string {
  const lines = [
    "| rules | violations in the set | found | false hits | missed | precision | recall | hits on polite uses |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    const positives = r.truePositives + r.falseNegatives;
    const hits = r.truePositives + r.falsePositives;
    lines.push(
      `| ${r.configuration} | ${positives} | ${r.truePositives} | ${r.falsePositives} | ${r.falseNegatives} | ${percent(r.truePositives, hits)} | ${percent(r.truePositives, positives)} | ${r.politeHits} |`,
    );
  }
  return lines.join("\n");
}
