/**
 * The command in an `im.message.receive_v1` text: in a direct chat the whole text, in a group
 * the text addressed to the bot with @. Feishu writes each mention as a key (`@_user_1`) and
 * lists who it is in `mentions`; @bot is removed, any other @someone becomes `<@open_id>`, the
 * form parseCommand reads.
 */

export interface ReceivedMessage {
  chat_type?: string;
  message_type?: string;
  /** A JSON string: `{"text": "…"}` for text. */
  content?: string;
  mentions?: { key?: string; id?: { open_id?: string } }[];
}

/** The command text, or undefined when the message is not one for the bot. */
export function commandText(message: ReceivedMessage, botOpenId?: string): string | undefined {
  if (message.message_type !== "text") return undefined;
  const text = textOf(message.content);
  if (text === undefined) return undefined;
  const mentions = (message.mentions ?? []).filter(
    (m): m is { key: string; id?: { open_id?: string } } => typeof m.key === "string" && m.key !== "",
  );
  const toBot = new Set(
    botOpenId === undefined
      ? leadingKeys(
          text,
          mentions.map((m) => m.key),
        )
      : mentions.filter((m) => m.id?.open_id === botOpenId).map((m) => m.key),
  );
  if (message.chat_type !== "p2p" && toBot.size === 0) return undefined;
  let command = text;
  // Longest keys first, so @_user_1 does not eat the start of @_user_10.
  for (const mention of [...mentions].sort((a, b) => b.key.length - a.key.length)) {
    const openId = mention.id?.open_id;
    const replacement = toBot.has(mention.key) || !openId ? " " : ` <@${openId}> `;
    command = command.split(mention.key).join(replacement);
  }
  command = command.replace(/\s+/g, " ").trim();
  // Someone used to Slack may still type the slash command.
  return command.replace(/^\/kpi(\s+|$)/i, "");
}

function textOf(content: string | undefined): string | undefined {
  try {
    const parsed: unknown = JSON.parse(content ?? "");
    const text = (parsed as { text?: unknown } | null)?.text;
    return typeof text === "string" ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The mention keys at the very start of the text, which is where @bot goes. */
function leadingKeys(text: string, keys: string[]): string[] {
  const found: string[] = [];
  let rest = text.trimStart();
  for (;;) {
    const key = keys
      .filter((k) => rest.startsWith(k) && !/\d/.test(rest.charAt(k.length)))
      .sort((a, b) => b.length - a.length)[0];
    if (key === undefined) return found;
    found.push(key);
    rest = rest.slice(key.length).trimStart();
  }
}
