import type { RecordChunk, RowProblem, SourceBatch, StreamedBatch } from "../sources/source.ts";
import type { HeldRows } from "./import-held-rows.ts";

/**
 * The first reading of a batch before it is stored: every problem of its rows, the accounts it
 * names (to resolve, or create, before writing), its shops and days (whether anything stored may
 * be replaced; which periods are owed a re-score). What it keeps grows with agents and days, not
 * with rows: a file streamed from disk is read again to be stored.
 */

export type ImportableBatch = SourceBatch | StreamedBatch;

export interface BatchCensus {
  records: number;
  /** The batch's own problems first, then its rows', in their order. */
  problems: RowProblem[];
  /** Account names by shop (a record without one is of the import's shop). */
  accounts: Map<string, Set<string>>;
  /** The days of the records (the import's day for those without one). */
  days: Set<string>;
  /** Records without a day while the import names none. */
  withoutDay: { count: number; firstLine: number };
}

/** One reading of the batch's records: a stream's from its start again, an array's as it is. */
export function readingOf(batch: ImportableBatch): AsyncIterable<RecordChunk> | Iterable<RecordChunk> {
  return Array.isArray(batch.records) ? [{ records: batch.records, problems: [] }] : batch.records.read();
}

/**
 * Configured shops by id and by name. An export's 店铺 cell holds what the back office calls the
 * shop (云裳服饰旗舰店), a file written for kpi-bot its id: either finds it.
 */
export type ShopIndex = ReadonlyMap<string, string>;

/** The shop a record is of: its own 店铺 cell's, else the import's; undefined for a shop not configured. */
export function shopOfRecord(
  shop: string | undefined,
  importShop: string,
  shops: ShopIndex,
): string | undefined {
  return shop === undefined ? importShop : shops.get(shop);
}

/** The census, keeping its records' COPY text in `held` if given (import-held-rows.ts). */
export async function censusOf(
  batch: ImportableBatch,
  options: { shopId: string; day?: string; shops: ShopIndex; held?: HeldRows | undefined },
): Promise<BatchCensus> {
  const held = options.held;
  const census: BatchCensus = {
    records: 0,
    problems: [...batch.problems],
    accounts: new Map(),
    days: new Set(),
    withoutDay: { count: 0, firstLine: 0 },
  };
  const unknownShops = new Set<string>();
  const refuseShop = (shop: string, line: number) => {
    // Once per shop: a month of an unknown shop's rows is one mistake, not 300,000.
    if (unknownShops.has(shop)) return;
    unknownShops.add(shop);
    census.problems.push({
      line,
      column: "shop",
      value: shop,
      reason: `is not a configured shop (by id or name; shops: ${[...new Set(options.shops.values())].join(", ") || "none yet"})`,
    });
  };
  for (const fact of batch.facts)
    if (shopOfRecord(fact.shop, options.shopId, options.shops) === undefined) refuseShop(fact.shop!, 0);
  for await (const chunk of readingOf(batch)) {
    for (const problem of chunk.problems) census.problems.push(problem);
    for (const record of chunk.records) {
      census.records++;
      const shop = shopOfRecord(record.shop, options.shopId, options.shops);
      if (shop === undefined) {
        refuseShop(record.shop!, record.line);
        continue;
      }
      let names = census.accounts.get(shop);
      if (!names) {
        names = new Set();
        census.accounts.set(shop, names);
      }
      names.add(record.agent);
      const day = record.day ?? options.day;
      if (day !== undefined) {
        census.days.add(day);
        held?.add(record, shop, day);
      } else if (census.withoutDay.count++ === 0) census.withoutDay.firstLine = record.line;
    }
  }
  held?.close();
  return census;
}

export function missingDays(census: BatchCensus): RowProblem[] {
  const { count, firstLine } = census.withoutDay;
  if (count === 0) return [];
  return [
    {
      line: firstLine,
      reason: `the file has no date column (${count} rows without a day): import it with --date YYYY-MM-DD`,
    },
  ];
}

/** Every record of an account the roster does not know, read again (only a refused file gets here). */
export async function unknownAgentProblems(
  batch: ImportableBatch,
  unknown: ReadonlySet<string>,
  keyOf: (shop: string, account: string) => string,
  shopId: string,
  shops: ShopIndex,
): Promise<RowProblem[]> {
  const problems: RowProblem[] = [];
  for await (const chunk of readingOf(batch))
    for (const record of chunk.records) {
      const shop = shopOfRecord(record.shop, shopId, shops);
      if (shop === undefined || !unknown.has(keyOf(shop, record.agent))) continue;
      problems.push({
        line: record.line,
        value: record.agent,
        reason: `is not an agent of shop ${shop}: add the account to the roster, or set unknownAgents: create`,
      });
    }
  return problems;
}
