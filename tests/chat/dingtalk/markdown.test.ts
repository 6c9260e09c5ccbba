import { describe, expect, it } from "vitest";
import { MAX_TEXT_CHARS, renderDingTalkMarkdown } from "../../../src/chat/dingtalk/markdown.ts";
import {
  MAX_TEMPLATE_BUTTONS,
  messageTemplate,
  webhookBody,
} from "../../../src/chat/dingtalk/robot-payloads.ts";
import type { Reply } from "../../../src/chat/reply.ts";

const scorecard: Reply = {
  title: "小张 · 2026-11 考核",
  blocks: [
    {
      kind: "table",
      head: ["指标", "目标", "实际", "得分"],
      rows: [
        ["首次响应时间", "≤ 30s", "25s", "100"],
        ["询单转化率", "≥ 35%", "", "80"],
      ],
      numeric: [false, true, true, true],
    },
    { kind: "text", text: "总分 94.6 → B\n组内排名 1/2" },
    { kind: "note", text: "# 转化率再提高 2% 可升 A" },
  ],
};

describe("DingTalk markdown of a Reply", () => {
  it("lays a scorecard out as a heading, one list line per table row, hard-broken lines and a quoted note", () => {
    const [message, ...more] = renderDingTalkMarkdown(scorecard);
    expect(more).toEqual([]);
    expect(message?.title).toBe("小张 · 2026-11 考核");
    expect(message?.buttons).toEqual([]);
    expect(message?.text).toBe(
      [
        "### 小张 · 2026-11 考核",
        "",
        "- **首次响应时间**: 目标 ≤ 30s · 实际 25s · 得分 100  ",
        "- **询单转化率**: 目标 ≥ 35% · 得分 80",
        "",
        "总分 94.6 → B  ",
        "组内排名 1/2",
        "",
        "> \\# 转化率再提高 2% 可升 A",
      ].join("\n"),
    );
  });

  it("takes a plain one-line title from the first text when the Reply has none", () => {
    const [message] = renderDingTalkMarkdown({
      blocks: [{ kind: "text", text: "**你没有权限查看 小张**\n详情" }],
    });
    expect(message?.title).toBe("你没有权限查看 小张");
    expect(renderDingTalkMarkdown({ blocks: [] })[0]).toEqual({ title: "KPI", text: "### KPI", buttons: [] });
  });

  it("turns actions into buttons that send their command text back into the chat", () => {
    const reply: Reply = {
      blocks: [
        { kind: "text", text: "差评 #12 待跟进" },
        {
          kind: "actions",
          actions: [
            { id: "followup:contacted", label: "已联系", value: "done 12 contacted" },
            { id: "followup:recovered", label: "已挽回", value: "done 12 recovered" },
          ],
        },
      ],
    };
    const [message] = renderDingTalkMarkdown(reply);
    expect(message?.buttons).toEqual([
      { title: "已联系", actionURL: "dtmd://dingtalkclient/sendMessage?content=done%2012%20contacted" },
      { title: "已挽回", actionURL: "dtmd://dingtalkclient/sendMessage?content=done%2012%20recovered" },
    ]);
    expect(webhookBody(message!)).toMatchObject({
      msgtype: "actionCard",
      actionCard: { btns: message?.buttons },
    });
    const template = messageTemplate(message!);
    expect(template.msgKey).toBe("sampleActionCard2");
    expect(JSON.parse(template.msgParam)).toMatchObject({
      actionTitle2: "已挽回",
      actionURL2: "dtmd://dingtalkclient/sendMessage?content=done%2012%20recovered",
    });
  });

  it("uses the one-button and markdown templates, and keeps at most five buttons", () => {
    const action = (n: number) => ({ id: `a${n}`, label: `按钮${n}`, value: `help ${n}` });
    const one = renderDingTalkMarkdown({ blocks: [{ kind: "actions", actions: [action(1)] }] })[0]!;
    expect(JSON.parse(messageTemplate(one).msgParam)).toMatchObject({ singleTitle: "按钮1" });
    expect(messageTemplate(one).msgKey).toBe("sampleActionCard");
    const seven = renderDingTalkMarkdown({
      blocks: [{ kind: "actions", actions: [1, 2, 3, 4, 5, 6, 7].map(action) }],
    })[0]!;
    expect(messageTemplate(seven).msgKey).toBe(`sampleActionCard${MAX_TEMPLATE_BUTTONS}`);
    const plain = renderDingTalkMarkdown(scorecard)[0]!;
    expect(messageTemplate(plain).msgKey).toBe("sampleMarkdown");
    expect(webhookBody(plain)).toEqual({
      msgtype: "markdown",
      markdown: { title: plain.title, text: plain.text },
    });
  });

  it("splits a long Reply into numbered messages under the limit, buttons on the last, nothing lost", () => {
    const rows = Array.from({ length: 400 }, (_, i) => [`客服${i}`, `${90 + (i % 10)}`]);
    const reply: Reply = {
      title: "全店排行",
      blocks: [
        { kind: "table", head: ["客服", "总分"], rows },
        { kind: "text", text: "x".repeat(12_000) },
        { kind: "actions", actions: [{ id: "more", label: "更多", value: "top month" }] },
      ],
    };
    const parts = renderDingTalkMarkdown(reply);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(parts.map((p) => p.title)).toEqual(parts.map((_, i) => `全店排行 (${i + 1}/${parts.length})`));
    expect(parts.slice(0, -1).every((p) => p.buttons.length === 0)).toBe(true);
    expect(parts.at(-1)?.buttons).toHaveLength(1);
    const all = parts.map((p) => p.text).join("\n");
    expect(all).toContain("- **客服0**: 总分 90");
    expect(all).toContain("- **客服399**: 总分 99");
    expect(all.replace(/[^x]/g, "").length).toBe(12_000);
  });
});
