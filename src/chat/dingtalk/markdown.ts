import type { Reply, ReplyAction, ReplyBlock } from "../reply.ts";

/**
 * A Reply as DingTalk robot markdown: `{title, text}` and, for buttons, an ActionCard. DingTalk's
 * markdown is a small subset (headings, bold, links, lists, quotes) and tables come out broken on
 * phones, so a table row becomes one list line: "**first cell**: head value · head value …".
 * A button cannot call us back from a robot message; it sends its `value` into the chat as
 * if typed (dtmd://dingtalkclient/sendMessage), so on DingTalk an action's value is a command
 * text such as "done 12 contacted", and it comes back as a command, not a click.
 */

export interface DingTalkButton {
  title: string;
  actionURL: string;
}

export interface DingTalkMarkdown {
  /** Plain text: what notifications and the chat list show. */
  title: string;
  text: string;
  /** ActionCard buttons; empty for a plain markdown message. */
  buttons: DingTalkButton[];
}

/** DingTalk refuses markdown text over about 5,000 characters; longer replies are split. */
export const MAX_TEXT_CHARS = 5000;
const MAX_TITLE_CHARS = 64;
const FALLBACK_TITLE = "KPI";

/** One message per ≤ MAX_TEXT_CHARS of text; the buttons go on the last. Never throws. */
export function renderDingTalkMarkdown(reply: Reply, maxChars = MAX_TEXT_CHARS): DingTalkMarkdown[] {
  const title = plainTitle(reply);
  const paragraphs = reply.blocks.flatMap(paragraphsOf).filter((p) => p !== "");
  const buttons = reply.blocks.flatMap((b) => (b.kind === "actions" ? b.actions.map(buttonOf) : []));
  const heading = (part: string) => `### ${escapeLine(title)}${part}`;
  // Room for the heading with a "(n/m)" suffix, so a split never pushes a part over the limit.
  const room = maxChars - heading(" (99/99)").length - 2;
  const chunks = chunk(paragraphs, Math.max(room, 1));
  if (chunks.length === 0) chunks.push("");
  return chunks.map((body, i) => {
    const part = chunks.length > 1 ? ` (${i + 1}/${chunks.length})` : "";
    const text = body === "" ? heading(part) : `${heading(part)}\n\n${body}`;
    return { title: `${title}${part}`, text, buttons: i === chunks.length - 1 ? buttons : [] };
  });
}

/** The Reply's title, or its first line of text; one line, no markdown. */
function plainTitle(reply: Reply): string {
  const firstText = reply.blocks.find((b) => b.kind === "text" || b.kind === "note");
  const source = reply.title ?? (firstText && "text" in firstText ? firstText.text : "");
  const line = (source.split("\n").find((l) => l.trim() !== "") ?? "").replace(/[#*_`>[\]]/g, "").trim();
  return line === "" ? FALLBACK_TITLE : [...line].slice(0, MAX_TITLE_CHARS).join("");
}

/** Markdown needs a hard break ("  \n") between lines, or DingTalk runs them together. */
const lines = (text: string[]) => text.join("  \n");

function paragraphsOf(block: ReplyBlock): string[] {
  switch (block.kind) {
    case "text":
      return [lines(block.text.split("\n").map(escapeLine))];
    case "heading":
      return [`#### ${escapeLine(block.text).replace(/^\\/, "")}`];
    case "note":
      return [
        block.text
          .split("\n")
          .map((line) => `> ${escapeLine(line)}`)
          .join("\n>\n"),
      ];
    case "table":
      return [lines(block.rows.map((row) => tableLine(block.head, row)))];
    case "actions":
      return [];
    case "image":
      // What the picture shows, in words: the enterprise robot sends the picture itself apart
      // (robot-adapter.ts) and leaves this block out; a custom group robot's webhook cannot
      // upload (no app token for media/upload, and its markdown shows images only by a public
      // URL, which we do not host); answers to commands carry no pictures.
      return [escapeLine(block.alt)];
  }
}

function tableLine(head: string[], row: string[]): string {
  const [first = "", ...rest] = row;
  const cells = rest
    .map((cell, i) => [head[i + 1] ?? "", cell] as const)
    .filter(([, cell]) => cell.trim() !== "")
    .map(([name, cell]) => (name ? `${escapeLine(name)} ${escapeLine(cell)}` : escapeLine(cell)));
  return `- **${escapeLine(first)}**${cells.length ? `: ${cells.join(" · ")}` : ""}`;
}

/**
 * A leading "#" or ">" would turn a line of ours into a heading or a quote. Nothing else is
 * escaped: DingTalk's renderer is not CommonMark, and a backslash before "*" may show as is.
 */
function escapeLine(line: string): string {
  return line.replace(/^(\s*)([#>])/, "$1\\$2");
}

function buttonOf(action: ReplyAction): DingTalkButton {
  const content = encodeURIComponent(action.value);
  return { title: action.label, actionURL: `dtmd://dingtalkclient/sendMessage?content=${content}` };
}

/** Paragraphs packed into chunks of at most `room` characters; a paragraph too long alone is cut at lines, then characters. */
function chunk(paragraphs: string[], room: number): string[] {
  const pieces = paragraphs.flatMap((p) => (p.length <= room ? [p] : cut(p, room)));
  const chunks: string[] = [];
  for (const piece of pieces) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length + 2 + piece.length <= room)
      chunks[chunks.length - 1] = `${last}\n\n${piece}`;
    else chunks.push(piece);
  }
  return chunks;
}

function cut(paragraph: string, room: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of paragraph.split("\n")) {
    for (let i = 0; i < line.length || i === 0; i += room) {
      const slice = line.slice(i, i + room);
      if (current !== "" && current.length + 1 + slice.length > room) {
        out.push(current);
        current = slice;
      } else current = current === "" ? slice : `${current}\n${slice}`;
      if (line.length === 0) break;
    }
  }
  if (current !== "") out.push(current);
  return out;
}
