import { describe, expect, it } from "vitest";
import type { Reply } from "../../../src/chat/reply.ts";
import { type KnownBlock, renderBlockKit, SLACK_LIMITS } from "../../../src/chat/slack/block-kit.ts";
import { displayWidth, tableLines } from "../../../src/chat/slack/monospace-table.ts";

/** Every piece of text Slack counts in a message's blocks. */
function textsOf(block: KnownBlock): string[] {
  if (block.type === "header") return [block.text.text];
  if (block.type === "section") return [block.text?.text ?? ""];
  if (block.type === "context") return block.elements.map((e) => ("text" in e ? e.text : ""));
  return [];
}

const sectionsOf = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === "section" ? [b.text?.text ?? ""] : []));

describe("a Reply as Slack Block Kit", () => {
  it("lays out title, escaped text, a table in a code block, a note and buttons", () => {
    const { text, blocks } = renderBlockKit({
      title: "小张 2026-11",
      blocks: [
        { kind: "text", text: "总分 94.6 → B & <@U_LI> > 90" },
        { kind: "table", head: ["指标", "得分"], rows: [["首次响应", "20.0"]], numeric: [false, true] },
        { kind: "note", text: "再提升 0.4 分到 A" },
        {
          kind: "actions",
          actions: [{ id: "followup:contacted", label: "已联系", value: "case-1", style: "primary" }],
        },
      ],
    });
    expect(text).toBe("小张 2026-11");
    expect(blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: "小张 2026-11", emoji: true } },
      { type: "section", text: { type: "mrkdwn", text: "总分 94.6 → B &amp; &lt;@U_LI&gt; &gt; 90" } },
      {
        type: "section",
        text: { type: "mrkdwn", text: "```\n指标      得分\n--------  ----\n首次响应  20.0\n```" },
      },
      { type: "context", elements: [{ type: "mrkdwn", text: "再提升 0.4 分到 A" }] },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "followup:contacted",
            value: "case-1",
            text: { type: "plain_text", text: "已联系", emoji: true },
            style: "primary",
          },
        ],
      },
    ]);
  });

  it("pads CJK names as two columns each, so numbers line up in Slack's monospace font", () => {
    const lines = tableLines({
      kind: "table",
      head: ["客服", "总分"],
      rows: [
        ["小张", "94.6"],
        ["Li", "9.1"],
        ["欧阳小明", "100.0"],
      ],
      numeric: [false, true],
    });
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
    expect(lines.slice(2)).toEqual(["小张       94.6", "Li          9.1", "欧阳小明  100.0"]);
  });

  it("fits a 1,000-row table within 50 blocks, 3,000 characters a section and ~12,000 in all, saying how many rows were left out", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [`客服${i}号 <测试>`, (i / 10).toFixed(1)]);
    const { blocks } = renderBlockKit({
      title: "售前一组 ".repeat(40),
      blocks: [
        { kind: "table", head: ["客服", "总分"], rows, numeric: [false, true] },
        { kind: "actions", actions: [{ id: "more", label: "下一页", value: "page-2" }] },
      ],
    });
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const header = blocks[0]!;
    expect(header.type === "header" && [...header.text.text].length).toBe(SLACK_LIMITS.headerChars);
    for (const text of sectionsOf(blocks)) expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
    const total = blocks.flatMap(textsOf).reduce((sum, t) => sum + t.length, 0);
    expect(total).toBeLessThanOrEqual(SLACK_LIMITS.totalChars);

    const shownRows = sectionsOf(blocks)
      .flatMap((s) => s.split("\n"))
      .filter((line) => line.startsWith("客服") && line.includes("号"));
    expect(shownRows[0]).toContain("客服0号 &lt;测试&gt;");
    const note = blocks.at(-2)!;
    expect(note.type).toBe("context");
    const omitted = Number(/…and (\d+) more lines/.exec(textsOf(note)[0]!)?.[1]);
    expect(shownRows.length + omitted).toBe(1000);
    expect(blocks.at(-1)).toMatchObject({ type: "actions" });
  });

  it("splits a long text into sections at line ends, and cuts a single over-long line", () => {
    const paragraph = Array.from({ length: 100 }, (_, i) => `第${i}行：${"好".repeat(50)}`).join("\n");
    const sections = sectionsOf(renderBlockKit({ blocks: [{ kind: "text", text: paragraph }] }).blocks);
    expect(sections.length).toBeGreaterThan(1);
    expect(sections.join("\n")).toBe(paragraph);
    for (const s of sections) expect(s.split("\n")[0]).toMatch(/^第\d+行/);

    const oneLine = "&".repeat(4000);
    const cut = sectionsOf(renderBlockKit({ blocks: [{ kind: "text", text: oneLine }] }).blocks);
    for (const s of cut) expect(s.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
    expect(cut.join("")).toBe("&amp;".repeat(4000).slice(0, cut.join("").length));
    expect(cut.join("")).toMatch(/^(&amp;)+$/);
  });

  it("keeps at most 50 blocks however many blocks the reply has", () => {
    const reply: Reply = {
      blocks: Array.from({ length: 80 }, (_, i) => ({ kind: "note", text: `note ${i}` })),
    };
    const { blocks } = renderBlockKit(reply);
    expect(blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(textsOf(blocks.at(-1)!)[0]).toContain("…and 31 more lines");
  });
});
