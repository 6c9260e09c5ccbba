import type { Conversation, ConversationMessage } from "../../../src/engine/conversation.ts";

/** A hand-made conversation: lines as [seconds, who, text] ("c" customer, "a" agent, or an event). */
export type Line =
  | [seconds: number, who: "c" | "a", text: string]
  | [seconds: number, event: "invite" | "close"]
  | [seconds: number, event: "transfer", customerAsked?: boolean];

const T0 = Date.UTC(2026, 10, 23, 2, 0, 0);

export function talk(
  lines: Line[],
  options: { session?: string; day?: string; agent?: string; rating?: number } = {},
): Conversation {
  const agent = options.agent ?? "zhang";
  const messages: ConversationMessage[] = lines.map((line) => {
    const at = T0 + line[0] * 1000;
    if (line[1] === "c") return { at, from: "customer", event: "message", text: line[2] as string };
    if (line[1] === "a") return { at, from: "agent", agent, event: "message", text: line[2] as string };
    if (line[1] === "transfer")
      return {
        at,
        from: "agent",
        agent,
        event: "transfer",
        toAgent: "li",
        customerAsked: line[2] === true,
        text: "",
      };
    if (line[1] === "close") return { at, from: "system", event: "close", text: "" };
    return { at, from: "agent", agent, event: "invite", text: "邀请评价" };
  });
  const conversation: Conversation = {
    shop: "shop",
    session: options.session ?? "s1",
    customer: "c1",
    agent,
    day: options.day ?? "2026-11-23",
    messages,
  };
  if (options.rating !== undefined) conversation.rating = { score: options.rating, at: messages.at(-1)!.at };
  return conversation;
}

/** n copies of a conversation with distinct sessions (and the given day). */
export function times(n: number, lines: Line[], day = "2026-11-23", prefix = "s"): Conversation[] {
  return Array.from({ length: n }, (_, i) => talk(lines, { session: `${prefix}${day}-${i}`, day }));
}
