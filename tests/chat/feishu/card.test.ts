import { describe, expect, it } from "vitest";
import { CARD_BYTES_LIMIT, escapeMarkdown, renderCard } from "../../../src/chat/feishu/card.ts";
import type { Reply } from "../../../src/chat/reply.ts";

const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card));
type Element = Record<string, unknown> & { tag: string };
const elements = (reply: Reply) => renderCard(reply).body.elements as Element[];

describe("a Reply as a Feishu card (JSON 2.0)", () => {
  it("has a plain-text title and markdown text whose specials show as themselves", () => {
    const card = renderCard({
      title: "小张 · 2026-11",
      blocks: [{ kind: "text", text: "a*b_c <at id=all></at>" }],
    });
    expect(card).toMatchObject({
      schema: "2.0",
      header: { title: { tag: "plain_text", content: "小张 · 2026-11" } },
    });
    expect(card.body.elements).toEqual([
      { tag: "markdown", content: escapeMarkdown("a*b_c <at id=all></at>") },
    ]);
    expect(escapeMarkdown("a*b_c <at>")).toBe("a&#42;b&#95;c &#60;at&#62;");
  });

  it("lays a table out as the table component, numbers typed as numbers and aligned right", () => {
    const [table] = elements({
      blocks: [
        {
          kind: "table",
          head: ["指标", "得分", "实际"],
          rows: [["转化率", "100", "18%"]],
          numeric: [false, true, true],
        },
      ],
    });
    expect(table).toMatchObject({
      tag: "table",
      columns: [
        { name: "c0", display_name: "指标", data_type: "text", horizontal_align: "left" },
        { name: "c1", display_name: "得分", data_type: "number", horizontal_align: "right" },
        { name: "c2", display_name: "实际", data_type: "text", horizontal_align: "right" },
      ],
      rows: [{ c0: "转化率", c1: 100, c2: "18%" }],
    });
  });

  it("greys notes out and turns actions into callback buttons carrying the action id and value", () => {
    const [note, buttons] = elements({
      blocks: [
        { kind: "note", text: "离 A 还差 0.4 分" },
        {
          kind: "actions",
          actions: [{ id: "followup:contacted", label: "已联系", value: "r1", style: "primary" }],
        },
      ],
    });
    expect(note).toMatchObject({ tag: "markdown", content: "<font color='grey'>离 A 还差 0.4 分</font>" });
    expect(JSON.stringify(buttons)).toContain(
      JSON.stringify({
        tag: "button",
        text: { tag: "plain_text", content: "已联系" },
        type: "primary",
        behaviors: [{ type: "callback", value: { action: "followup:contacted", value: "r1" } }],
      }),
    );
  });

  it("keeps a 2,000-row table under 30 KB by showing the rows that fit and how many are left", () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [`客服${i}`, String(90 + (i % 10)), "旗舰店"]);
    const reply: Reply = {
      title: "全店排行",
      blocks: [
        { kind: "text", text: "2026-11" },
        { kind: "table", head: ["客服", "总分", "店铺"], rows, numeric: [false, true, false] },
        { kind: "note", text: "按总分排序" },
      ],
    };
    const card = renderCard(reply);
    expect(bytes(card)).toBeLessThanOrEqual(CARD_BYTES_LIMIT);
    const table = card.body.elements.find((e) => e.tag === "table") as { rows: unknown[] };
    expect(table.rows.length).toBeGreaterThan(100);
    expect(table.rows[0]).toEqual({ c0: "客服0", c1: 90, c2: "旗舰店" });
    expect(card.body.elements).toContainEqual(
      expect.objectContaining({ tag: "markdown", content: `…还有 ${2000 - table.rows.length} 行` }),
    );
    // As many rows as fit: one more would not.
    const oneMore = renderCard(reply, bytes(card) + 20);
    expect((oneMore.body.elements.find((e) => e.tag === "table") as { rows: unknown[] }).rows.length).toBe(
      table.rows.length,
    );
    expect(card.body.elements.at(-1)).toMatchObject({ content: "<font color='grey'>按总分排序</font>" });
  });

  it("still sends something when text alone is over the limit", () => {
    const card = renderCard({ blocks: [{ kind: "text", text: "*".repeat(40_000) }] });
    expect(bytes(card)).toBeLessThanOrEqual(CARD_BYTES_LIMIT);
    const content = String(card.body.elements[0]?.content);
    expect(content).toMatch(/^(&#42;)+…$/);
    expect(content.length).toBeGreaterThan(20_000);
  });
});
