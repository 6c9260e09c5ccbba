import { sql } from "drizzle-orm";
import type { CardRow } from "./card-text.ts";
import { type CopyIn, copyField, copyIn, copyJson, holdOffWriters } from "./copy-in.ts";
import { type Db, rowsOf, type Tx } from "./database.ts";

/**
 * A big period's first cards (a new day, week or month: what an import of new figures owes),
 * written by COPY straight into scorecards: there is nothing to replace, so nothing to audit, and
 * the upsert's machinery (the cards sent as a text per column, split while planned and run, each
 * checked for a conflict and for the card it replaces) is the most of what saving costs. The
 * month of a 10,000-agent shop (373,700 cards of about 1.1 KB, the rows made beforehand, nothing
 * else running): 14.9 s by the upsert on PostgreSQL, 5.1 s by COPY; 13.1 / 9.3 s on PGlite.
 */

/**
 * Cards of one period from which a first save goes by COPY: one period's first cards, mean of 8,
 * COPY / upsert, on PostgreSQL 100 cards 9 / 5 ms, 500 20 / 27, 1,000 26 / 45, 5,000 73 / 184;
 * on PGlite 100 cards 9 / 12 ms, 1,000 34 / 44, 5,000 132 / 218. (Before postgres.js's sockets
 * had Nagle off, store/tcp-socket.ts, a COPY cost PostgreSQL 50 ms whatever its size.) A demo
 * shop's day is 28 cards.
 */
export const COPY_FROM_CARDS = 1_000;

const COLUMNS = [
  { name: "agent_id", type: "text" },
  { name: "period_kind", type: "text" },
  { name: "period_key", type: "text" },
  { name: "scheme_version_id", type: "integer" },
  { name: "total", type: "float8" },
  { name: "grade", type: "text" },
  { name: "coefficient", type: "float8" },
  { name: "card", type: "text" },
  { name: "computed_at", type: "timestamptz" },
] as const;

/** Cards per COPY chunk: about 2 MB, one in flight while the next is made. */
const CHUNK = 2_000;

/** A number as JavaScript writes it (shortest round trip) reads back as the same float8. */
const number = (x: number | null) => (x === null ? "\\N" : String(x));

/**
 * Cards [from, to) as COPY's text format in UTF-8, written straight into bytes: a chunk made as one
 * string of 2,000 cards and turned into bytes after took twice as long (the string's pieces are
 * copied together first, then encoded), about 7 µs a card.
 */
function chunkBytes(cards: readonly CardRow[], from: number, to: number, period: string, at: string): Buffer {
  // At most 3 bytes a UTF-16 unit, escapes included (a doubled backslash is 2 bytes for 1): the
  // bytes hold the chunk whatever it holds, as they must (a write past the end would be cut off).
  // Numbers are at most 24 characters, the rest of a row's fields and separators fewer than 64.
  let size = 0;
  for (let i = from; i < to; i++) {
    const c = cards[i]!;
    size += 3 * (c.text.length + c.agent.length + (c.grade?.length ?? 0) + period.length) + 2 * 24 + 64;
  }
  const bytes = Buffer.allocUnsafe(size);
  let end = 0;
  for (let i = from; i < to; i++) {
    const c = cards[i]!;
    const grade = c.grade === null ? "\\N" : copyField(c.grade);
    end += bytes.write(
      `${copyField(c.agent)}${period}${c.schemeVersionId}\t${number(c.total)}\t${grade}\t${number(c.coefficient)}\t`,
      end,
    );
    end += bytes.write(copyJson(c.text), end);
    end += bytes.write(`\t${at}\n`, end);
  }
  return bytes.subarray(0, end);
}

/**
 * Whether the period has any card stored (one probe of the key, period first), with every other
 * writer of cards held off until the transaction ends (holdOffWriters).
 */
export async function firstCardsOf(tx: Tx, kind: string, periodKey: string): Promise<boolean> {
  await holdOffWriters(tx, "scorecards");
  const rows = rowsOf(
    await tx.execute(
      sql`SELECT 1 FROM scorecards WHERE period_kind = ${kind}::text AND period_key = ${periodKey}::text LIMIT 1`,
    ),
  );
  return rows.length === 0;
}

/** Copies the cards of a period that has none into scorecards, in the transaction of firstCardsOf. */
export async function copyCards(
  db: Db,
  tx: Tx,
  kind: string,
  periodKey: string,
  cards: readonly CardRow[],
  now: Date,
): Promise<void> {
  const copy: CopyIn = await copyIn(db, tx, { table: "scorecards", columns: COLUMNS });
  const period = `\t${copyField(kind)}\t${copyField(periodKey)}\t`;
  const at = now.toISOString();
  try {
    for (let from = 0; from < cards.length; from += CHUNK)
      await copy.write(chunkBytes(cards, from, Math.min(from + CHUNK, cards.length), period, at));
    await copy.end();
  } catch (error) {
    await copy.abort();
    throw error;
  }
}
