import { describe, expect, it } from "vitest";
import { commandText } from "../../../src/chat/feishu/message-text.ts";

const text = (t: string) => JSON.stringify({ text: t });
const bot = { key: "@_user_1", id: { open_id: "ou_bot" } };
const xiaozhang = { key: "@_user_2", id: { open_id: "ou_zhang" } };

describe("the command in a Feishu text message", () => {
  it("is the whole text in a direct chat, without a typed /kpi", () => {
    expect(commandText({ chat_type: "p2p", message_type: "text", content: text(" me  last-month ") })).toBe(
      "me last-month",
    );
    expect(commandText({ chat_type: "p2p", message_type: "text", content: text("/kpi me") })).toBe("me");
  });

  it("in a group, is what follows @bot, other mentions becoming <@open_id>", () => {
    const message = {
      chat_type: "group",
      message_type: "text",
      content: text("@_user_1 agent @_user_2 2026-11"),
      mentions: [bot, xiaozhang],
    };
    expect(commandText(message)).toBe("agent <@ou_zhang> 2026-11");
    // With the bot's open_id configured, @bot may stand anywhere.
    const trailing = { ...message, content: text("agent @_user_2 2026-11 @_user_1") };
    expect(commandText(trailing, "ou_bot")).toBe("agent <@ou_zhang> 2026-11");
  });

  it("does not take @_user_1 for the start of @_user_10", () => {
    const mentions = [
      bot,
      ...Array.from({ length: 9 }, (_, i) => ({ key: `@_user_${i + 2}`, id: { open_id: `ou_${i + 2}` } })),
    ];
    const message = {
      chat_type: "group",
      message_type: "text",
      content: text("@_user_1 agent @_user_10"),
      mentions,
    };
    expect(commandText(message)).toBe("agent <@ou_10>");
  });

  it("is nothing for a group message not addressed to the bot, or a message that is not text", () => {
    expect(
      commandText({ chat_type: "group", message_type: "text", content: text("me"), mentions: [] }),
    ).toBeUndefined();
    expect(
      commandText(
        { chat_type: "group", message_type: "text", content: text("agent @_user_2"), mentions: [xiaozhang] },
        "ou_bot",
      ),
    ).toBeUndefined();
    expect(
      commandText({ chat_type: "p2p", message_type: "image", content: '{"image_key":"img_1"}' }),
    ).toBeUndefined();
    expect(commandText({ chat_type: "p2p", message_type: "text", content: "not json" })).toBeUndefined();
  });
});
