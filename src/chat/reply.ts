/**
 * What the bot says, before any platform lays it out: a title and blocks of text, tables and
 * notes. Slack's Block Kit, Feishu's cards, DingTalk's markdown and the console each render
 * this; the use-cases never know which one will.
 */

export type ReplyBlock =
  | { kind: "text"; text: string }
  /** The heading of a part of a message that tells several things (a nudge: bad reviews, ratings…). */
  | { kind: "heading"; text: string }
  | { kind: "table"; head: string[]; rows: string[][]; numeric?: boolean[] }
  | { kind: "note"; text: string }
  | { kind: "actions"; actions: ReplyAction[] }
  | ReplyImage;

/**
 * A picture (a digest's trend chart) as PNG bytes, base64 so a Reply stays plain JSON in the
 * outbox. Each platform uploads it its own way; `alt` is what is shown where it cannot be.
 */
export interface ReplyImage {
  kind: "image";
  pngBase64: string;
  alt: string;
}

/** A button: `value` comes back in the click (keep it under 200 characters). */
export interface ReplyAction {
  id: string;
  label: string;
  value: string;
  style?: "primary" | "danger";
}

export interface Reply {
  title?: string;
  blocks: ReplyBlock[];
  /** Seen only by the asker (Slack ephemeral, a direct message elsewhere). */
  private?: boolean;
}

export const textReply = (text: string, title?: string): Reply => ({
  ...(title ? { title } : {}),
  blocks: [{ kind: "text", text }],
});
