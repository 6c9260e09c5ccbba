import type { Reply, ReplyAction, ReplyBlock } from "../reply.ts";

/**
 * A Reply as a Feishu card (JSON 2.0): text and notes as markdown, tables as the 2.0 `table`
 * component, pictures as `img` elements, buttons whose clicks come back as `card.action.trigger`
 * callbacks. A picture is shown by the image_key of an upload the adapter made before rendering
 * (`imageKeys`: the image block's index → its key), so rendering stays pure. Feishu refuses
 * a card over 30 KB, so a big table keeps the rows that fit and says how many it left out.
 */

type Element = Record<string, unknown>;
export interface FeishuCard {
  schema: "2.0";
  config: { update_multi: true };
  header?: { title: { tag: "plain_text"; content: string }; template: string };
  body: { elements: Element[] };
}

/** Feishu's limit is 30 KB of card JSON; kept a little under it. */
export const CARD_BYTES_LIMIT = 30_000;

/** What a button's callback carries back: our action id and the button's value. */
export interface ButtonValue {
  action: string;
  value: string;
}

/** Feishu's card markdown reads these; HTML entities show them as themselves. */
const MARKDOWN_SPECIAL = /[&<>*_~`[\]\\#$]/g;
export const escapeMarkdown = (text: string): string =>
  text.replace(MARKDOWN_SPECIAL, (c) => `&#${c.charCodeAt(0)};`);

/** Image block index → the image_key Feishu gave its upload. */
export type ImageKeys = ReadonlyMap<number, string>;
const NO_IMAGES: ImageKeys = new Map();

export function renderCard(reply: Reply, limit = CARD_BYTES_LIMIT, imageKeys = NO_IMAGES): FeishuCard {
  const kept = reply.blocks.map((block) => (block.kind === "table" ? block.rows.length : 0));
  const build = () => cardOf(reply, kept, imageKeys);
  const whole = build();
  if (bytes(whole) <= limit) return whole;
  // Shorten the longest tables first, each to as many rows as still fit (binary search).
  const tables = kept
    .map((rows, i) => ({ i, rows }))
    .filter((t) => t.rows > 0)
    .sort((a, b) => b.rows - a.rows);
  for (const { i, rows } of tables) {
    let low = 0;
    let high = rows;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      kept[i] = mid;
      if (bytes(build()) <= limit) low = mid;
      else high = mid - 1;
    }
    kept[i] = low;
    const card = build();
    if (bytes(card) <= limit) return card;
  }
  return shortenTexts(reply, kept, limit, imageKeys);
}

function cardOf(reply: Reply, keptRows: number[], imageKeys: ImageKeys): FeishuCard {
  const elements = reply.blocks.flatMap((block, i) => elementsOf(block, keptRows[i] ?? 0, imageKeys.get(i)));
  return {
    schema: "2.0",
    config: { update_multi: true },
    ...(reply.title
      ? { header: { title: { tag: "plain_text", content: reply.title.slice(0, 200) }, template: "blue" } }
      : {}),
    body: { elements },
  };
}

function elementsOf(block: ReplyBlock, keptRows: number, imageKey: string | undefined): Element[] {
  switch (block.kind) {
    case "text":
      return [{ tag: "markdown", content: escapeMarkdown(block.text) }];
    case "heading":
      return [{ tag: "markdown", content: `**${escapeMarkdown(block.text)}**` }];
    case "note":
      return [
        {
          tag: "markdown",
          text_size: "notation",
          content: `<font color='grey'>${escapeMarkdown(block.text)}</font>`,
        },
      ];
    case "actions":
      return [buttonRow(block.actions)];
    case "image":
      // Not uploaded (a reply to a command, or the upload was not made): what it shows, in words.
      if (imageKey === undefined) {
        return [{ tag: "markdown", text_size: "notation", content: escapeMarkdown(block.alt) }];
      }
      return [
        {
          tag: "img",
          img_key: imageKey,
          alt: { tag: "plain_text", content: block.alt.slice(0, 200) },
          // The chart as wide as the card; a tap opens it full size.
          scale_type: "fit_horizontal",
          preview: true,
        },
      ];
    case "table": {
      const left = block.rows.length - keptRows;
      const table = tableOf(block, block.rows.slice(0, keptRows));
      if (left === 0) return [table];
      const more = { tag: "markdown", text_size: "notation", content: `…还有 ${left} 行` };
      return keptRows === 0 ? [more] : [table, more];
    }
  }
}

function tableOf(block: Extract<ReplyBlock, { kind: "table" }>, rows: string[][]): Element {
  const key = (column: number) => `c${column}`;
  // A column is typed number only when every cell is a plain number; "—" or "94%" stay text.
  const asNumber = block.head.map(
    (_, c) => block.numeric?.[c] === true && rows.every((row) => /^-?\d+(\.\d+)?$/.test(row[c] ?? "")),
  );
  return {
    tag: "table",
    page_size: 10,
    row_height: "low",
    header_style: { bold: true, background_style: "grey" },
    columns: block.head.map((name, c) => ({
      name: key(c),
      display_name: name,
      data_type: asNumber[c] ? "number" : "text",
      horizontal_align: block.numeric?.[c] ? "right" : "left",
      width: "auto",
    })),
    rows: rows.map((row) =>
      Object.fromEntries(block.head.map((_, c) => [key(c), asNumber[c] ? Number(row[c]) : (row[c] ?? "")])),
    ),
  };
}

function buttonRow(actions: ReplyAction[]): Element {
  return {
    tag: "column_set",
    flex_mode: "flow",
    columns: actions.map((action) => ({
      tag: "column",
      width: "auto",
      elements: [
        {
          tag: "button",
          text: { tag: "plain_text", content: action.label },
          type: action.style ?? "default",
          behaviors: [
            { type: "callback", value: { action: action.id, value: action.value } satisfies ButtonValue },
          ],
        },
      ],
    })),
  };
}

/** The last resort when text alone is too long: cut the longest text or note until the card fits. */
function shortenTexts(reply: Reply, keptRows: number[], limit: number, imageKeys: ImageKeys): FeishuCard {
  const blocks = reply.blocks.map((block) => ({ ...block }));
  const shortened = { ...reply, blocks };
  for (;;) {
    const card = cardOf(shortened, keptRows, imageKeys);
    const over = bytes(card) - limit;
    const texts = blocks.filter((b) => b.kind === "text" || b.kind === "note");
    const longest = texts.reduce<(typeof texts)[number] | undefined>(
      (a, b) => (a === undefined || b.text.length > a.text.length ? b : a),
      undefined,
    );
    if (over <= 0 || longest === undefined || longest.text.length <= 1) return card;
    // Cut by the block's own bytes per character, so text of escaped characters keeps what fits.
    const perChar = Buffer.byteLength(JSON.stringify(escapeMarkdown(longest.text))) / longest.text.length;
    const cut = Math.ceil(over / perChar) + 1;
    longest.text = `${longest.text.slice(0, Math.max(0, longest.text.length - cut))}…`;
  }
}

const bytes = (card: FeishuCard): number => Buffer.byteLength(JSON.stringify(card));
