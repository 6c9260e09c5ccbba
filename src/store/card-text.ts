import type { ItemScore, NextGradeAdvice, Scorecard } from "../engine/index.ts";

/**
 * A scorecard as stored: JSON text of the engine's card with the bot's additions, whose items
 * (four fifths of a card: nine items of nine fields each) are written as one array of values
 * per item, after the list of field names when it is not the usual one (ITEM_KEYS):
 *
 *   "items": {"rows": [["conversion_rate", "business", 0.15, 0.32, …], …]}
 *   "items": {"keys": ["metric", "dimension", …], "rows": [[…], …]}
 *
 * An item's fields after those (a season's `segments`) close its row as an object.
 *
 * 1 KB a card instead of 1.8: a 3,000-agent shop's month import writes 110,000 of them. Read
 * back, the items are the same objects, fields in the same order. Items that do not all have the
 * same fields are written as they are, and documents of that form read the same.
 */

/** The card column: the engine's card with what the bot keeps beside it. */
export type CardDocument = Scorecard & {
  pending: string[];
  advice?: NextGradeAdvice;
  /** Metrics whose figure an accepted appeal corrected (bot/appeal-corrections.ts). */
  corrected?: string[];
};

/** A card as its row is written: the columns read apart, and the whole card as its stored text. */
export interface CardRow {
  agent: string;
  schemeVersionId: number;
  total: number | null;
  grade: string | null;
  coefficient: number | null;
  text: string;
}

interface PackedItems {
  /** Absent when they are ITEM_KEYS. */
  keys?: string[];
  rows: unknown[][];
}

/** The engine's item fields as it writes them (engine/score.ts), left out of the documents that have them. */
const ITEM_KEYS = [
  "metric",
  "dimension",
  "target",
  "actual",
  "score",
  "weight",
  "nominalWeight",
  "weighted",
  "status",
];

export function cardText(document: CardDocument): string {
  return storedCardText(document, document.pending, document.advice, document.corrected);
}

/** cardText of the card with these additions, without making the document first. */
export function storedCardText(
  card: Scorecard,
  pending: string[],
  advice: NextGradeAdvice | undefined,
  corrected?: readonly string[],
): string {
  const packed = packedItems(card.items);
  // Set on one copy (a key the card has keeps its place), not spread from small objects.
  const document: Record<string, unknown> = { ...card };
  if (packed) document.items = packed;
  document.pending = pending;
  if (advice) document.advice = advice;
  if (corrected?.length) document.corrected = corrected;
  return JSON.stringify(document);
}

export function cardOfText(text: string): CardDocument {
  const document = JSON.parse(text) as Omit<CardDocument, "items"> & { items: ItemScore[] | PackedItems };
  if (!Array.isArray(document.items)) document.items = unpackedItems(document.items);
  return document as CardDocument;
}

/**
 * The items as rows of the fields they all begin with (ITEM_KEYS when they do), in that order;
 * an item with more fields after those (a season's `segments`) has them in an object at the end
 * of its row. Undefined is left out of an object's JSON but an array would hold null: an item
 * with an undefined field among the rows' leaves the items as they are.
 */
function packedItems(items: readonly ItemScore[]): PackedItems | undefined {
  const first = items[0] as unknown as Record<string, unknown> | undefined;
  if (first === undefined) return undefined;
  const firstKeys = Object.keys(first);
  const usual = ITEM_KEYS.every((key, n) => firstKeys[n] === key);
  const keys = usual ? ITEM_KEYS : firstKeys;
  const rows = new Array<unknown[]>(items.length);
  for (const [i, item] of items.entries()) {
    const fields = item as unknown as Record<string, unknown>;
    const row = new Array<unknown>(keys.length);
    let n = 0;
    let more: Record<string, unknown> | undefined;
    for (const key in fields) {
      // Assigned back one by one, "__proto__" would set the item's prototype: such items stay as they are.
      if (key === "__proto__") return undefined;
      if (n < keys.length) {
        if (key !== keys[n] || fields[key] === undefined) return undefined;
        row[n++] = fields[key];
      } else {
        more ??= {};
        more[key] = fields[key];
      }
    }
    if (n !== keys.length) return undefined;
    if (more) row.push(more);
    rows[i] = row;
  }
  return usual ? { rows } : { keys, rows };
}

function unpackedItems({ keys = ITEM_KEYS, rows }: PackedItems): ItemScore[] {
  return rows.map((row) => {
    const item: Record<string, unknown> = {};
    for (const [j, key] of keys.entries()) item[key] = row[j];
    if (row.length > keys.length) Object.assign(item, row[keys.length]);
    return item as unknown as ItemScore;
  });
}
