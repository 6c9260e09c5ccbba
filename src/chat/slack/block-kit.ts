import type { types } from "@slack/bolt";
import type { Reply, ReplyAction, ReplyBlock } from "../reply.ts";
import { tableLines } from "./monospace-table.ts";

/**
 * A Reply as Slack Block Kit, always within Slack's limits: Slack rejects a whole message
 * (invalid_blocks, msg_too_long) for one block too many or one section too long, so a reply of
 * any size is cut to fit with a note saying how much was left out, never refused.
 */

export type KnownBlock = types.KnownBlock;

export interface SlackMessage {
  /** Notifications and clients that cannot show blocks use this. */
  text: string;
  blocks: KnownBlock[];
}

export const SLACK_LIMITS = {
  blocks: 50,
  sectionChars: 3000,
  headerChars: 150,
  /** Slack's own cap on a message is larger and vaguer; past this, people stop reading anyway. */
  totalChars: 12_000,
  buttonsPerBlock: 25,
  buttonLabelChars: 75,
} as const;

// Slack's rule for text it should not read as markup: escape exactly these three.
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const escapeChar = (char: string): string => ESCAPES[char] ?? char;
export const escapeMrkdwn = (text: string): string => text.replace(/[&<>]/g, escapeChar);

/** A block with what it costs against the limits; titles and buttons are never cut. */
interface Piece {
  block: KnownBlock;
  chars: number;
  lines: number;
  essential: boolean;
}

/** Escaped lines grouped into chunks of at most `max` characters, split at line ends where possible. */
function escapedChunks(rawLines: readonly string[], max: number): { text: string; lines: number }[] {
  const chunks: { text: string; lines: number }[] = [];
  let text = "";
  let lines = 0;
  const flush = () => {
    if (lines > 0) chunks.push({ text, lines });
    text = "";
    lines = 0;
  };
  for (const raw of rawLines) {
    const escaped = escapeMrkdwn(raw);
    if (lines > 0 && text.length + 1 + escaped.length > max) flush();
    if (escaped.length <= max) {
      text = lines > 0 ? `${text}\n${escaped}` : escaped;
      lines += 1;
      continue;
    }
    // One line longer than a section: cut it between characters, never inside an escape.
    for (const char of raw) {
      const piece = escapeChar(char);
      if (text.length + piece.length > max) {
        chunks.push({ text, lines: 0 });
        text = "";
      }
      text += piece;
    }
    lines = 1;
    flush();
  }
  flush();
  return chunks;
}

const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

function section(text: string, lines: number): Piece {
  return {
    block: { type: "section", text: { type: "mrkdwn", text } },
    chars: text.length,
    lines,
    essential: false,
  };
}

function button(action: ReplyAction): types.Button {
  return {
    type: "button",
    action_id: action.id,
    value: action.value,
    text: plain(truncate(action.label, SLACK_LIMITS.buttonLabelChars)),
    ...(action.style ? { style: action.style } : {}),
  };
}

const CODE_FENCE = "```";

function piecesOf(block: ReplyBlock): Piece[] {
  switch (block.kind) {
    case "text":
      return escapedChunks(block.text.split("\n"), SLACK_LIMITS.sectionChars).map((c) =>
        section(c.text, c.lines),
      );
    case "table": {
      const room = SLACK_LIMITS.sectionChars - 2 * (CODE_FENCE.length + 1);
      return escapedChunks(tableLines(block), room).map((c) =>
        section(`${CODE_FENCE}\n${c.text}\n${CODE_FENCE}`, c.lines),
      );
    }
    case "heading": {
      const text = `*${escapeMrkdwn(truncate(block.text, SLACK_LIMITS.headerChars))}*`;
      return [
        {
          block: { type: "section", text: { type: "mrkdwn", text } },
          chars: text.length,
          lines: 1,
          essential: false,
        },
      ];
    }
    case "note":
      return escapedChunks(block.text.split("\n"), SLACK_LIMITS.sectionChars).map((c) => ({
        block: { type: "context", elements: [{ type: "mrkdwn", text: c.text }] },
        chars: c.text.length,
        lines: c.lines,
        essential: false,
      }));
    case "image":
      // Where a picture cannot go (an ephemeral message, a message of nothing else): what it
      // shows, in words. A send shares the picture itself as a file (slack-files.ts).
      return [
        {
          block: { type: "context", elements: [{ type: "mrkdwn", text: escapeMrkdwn(block.alt) }] },
          chars: block.alt.length,
          lines: 1,
          essential: false,
        },
      ];
    case "actions": {
      const pieces: Piece[] = [];
      for (let i = 0; i < block.actions.length; i += SLACK_LIMITS.buttonsPerBlock) {
        const elements = block.actions.slice(i, i + SLACK_LIMITS.buttonsPerBlock).map(button);
        pieces.push({ block: { type: "actions", elements }, chars: 0, lines: 0, essential: true });
      }
      return pieces;
    }
  }
}

/** What stands in for the blocks that did not fit (the reply's language is not known here). */
export const omittedNote = (lines: number): string => `…and ${lines} more lines（另有 ${lines} 行未显示）`;

/** Keeps every essential piece and, in order, as many others as fit; the rest become one note. */
function fitToLimits(pieces: readonly Piece[]): KnownBlock[] {
  const essential = pieces.filter((p) => p.essential);
  let blocksLeft = SLACK_LIMITS.blocks - essential.length - 1;
  let charsLeft = SLACK_LIMITS.totalChars - essential.reduce((sum, p) => sum + p.chars, 0) - 100;
  const blocks: KnownBlock[] = [];
  let omittedAt = -1;
  let omittedLines = 0;
  for (const piece of pieces) {
    if (piece.essential) blocks.push(piece.block);
    else if (omittedAt < 0 && blocksLeft > 0 && piece.chars <= charsLeft) {
      blocks.push(piece.block);
      blocksLeft -= 1;
      charsLeft -= piece.chars;
    } else {
      if (omittedAt < 0) omittedAt = blocks.length;
      omittedLines += piece.lines;
    }
  }
  if (omittedAt >= 0) {
    const note: KnownBlock = {
      type: "context",
      elements: [{ type: "mrkdwn", text: omittedNote(omittedLines) }],
    };
    blocks.splice(omittedAt, 0, note);
  }
  return blocks.slice(0, SLACK_LIMITS.blocks);
}

/** The fallback text: the title, else the first text, note or table head, shortened. */
function fallbackText(reply: Reply): string {
  const first = reply.blocks.find((b) => b.kind !== "actions");
  let text = reply.title ?? "";
  if (!text && first)
    text = first.kind === "table" ? first.head.join(" ") : first.kind === "image" ? first.alt : first.text;
  return escapeMrkdwn(truncate(text, SLACK_LIMITS.sectionChars));
}

export function renderBlockKit(reply: Reply): SlackMessage {
  const pieces: Piece[] = [];
  if (reply.title) {
    const title = truncate(reply.title, SLACK_LIMITS.headerChars);
    pieces.push({
      block: { type: "header", text: plain(title) },
      chars: title.length,
      lines: 1,
      essential: true,
    });
  }
  for (const block of reply.blocks) pieces.push(...piecesOf(block));
  return { text: fallbackText(reply), blocks: fitToLimits(pieces) };
}
