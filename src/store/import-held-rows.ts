import type { MetricValues } from "../engine/index.ts";
import type { AgentDayRecord } from "../sources/source.ts";
import { copyField, copyJson } from "./copy-in.ts";
import { figuresText } from "./figures-text.ts";

/**
 * A batch's agent-days as COPY text, kept by its first reading (the census) so that a big file
 * is parsed once, not twice: each row's day, figures and pending ids as the bytes COPY takes, and
 * its account by number, because the agent a row belongs to is known (or created) only after the
 * census. Kept while they fit in HELD_BYTES; a bigger file is read again, as before, so that what
 * an import holds stays bounded whatever the file's size.
 *
 * Parsing a 310,000-row month took 3 s of the import's 10 s to store; its COPY text is ~95 MB.
 */

/** Text kept at most, in UTF-8 bytes: a month of a 10,000-agent shop (~95 MB) fits. */
export const HELD_BYTES = 128 * 1024 * 1024;

/** Bytes of a kept piece: about a COPY write's worth (a row that does not fit starts the next). */
const PIECE_BYTES = 1 << 20;

const FIRST_BLOCK_BYTES = 16 * 1024;

interface Piece {
  /** Each row's account (an index into HeldRows' accounts). */
  accounts: Int32Array;
  /** Where each row's text ends in `bytes`; row i is bytes[ends[i-1] .. ends[i]). */
  ends: Int32Array;
  /** Each row's `day \t figures \t pending`, one after the other, without separators. */
  bytes: Buffer;
}

export interface HeldAccount {
  shop: string;
  account: string;
}

const NO_PENDING = "[]";
const pendingText = (pending: readonly string[]) =>
  pending.length === 0 ? NO_PENDING : copyJson(JSON.stringify(pending));

/** A row's day, figures and pending ids in COPY's text: what both the kept and the staged rows write. */
export const dayFiguresText = (day: string, values: MetricValues, pending: readonly string[]): string =>
  `${copyField(day)}\t${copyJson(figuresText(values))}\t${pendingText(pending)}`;

export class HeldRows {
  readonly #pieces: Piece[] = [];
  /** Account numbers by shop, then by account name. */
  readonly #accountIndex = new Map<string, Map<string, number>>();
  #lastDay = "";
  #lastDayRows = 0;
  readonly accounts: HeldAccount[] = [];
  /** Rows by day, as the staging counts them (import-copy-writes.ts moves them a range of days at a time). */
  readonly rowsByDay = new Map<string, number>();
  /** The piece being kept: its rows' accounts, their text written into `#block`, where each ends. */
  #rows: number[] = [];
  #block = Buffer.allocUnsafe(0);
  #used = 0;
  #pieceStart = 0;
  /** The next block's size: small first (most files are small), doubling up to pieceBytes. */
  #nextBlock = FIRST_BLOCK_BYTES;
  #ends: number[] = [];
  #bytes = 0;
  #dropped = false;

  constructor(
    private readonly limit = HELD_BYTES,
    private readonly pieceBytes = PIECE_BYTES,
  ) {
    if (limit <= 0) this.#dropped = true;
  }

  /** False once the rows outgrew the limit: the batch must be read again. */
  get held(): boolean {
    return !this.#dropped;
  }

  get rows(): number {
    let rows = this.#rows.length;
    for (const piece of this.#pieces) rows += piece.accounts.length;
    return rows;
  }

  add(record: AgentDayRecord, shop: string, day: string): void {
    if (this.#dropped) return;
    let ofShop = this.#accountIndex.get(shop);
    if (ofShop === undefined) {
      ofShop = new Map();
      this.#accountIndex.set(shop, ofShop);
    }
    let account = ofShop.get(record.agent);
    if (account === undefined) {
      account = this.accounts.length;
      ofShop.set(record.agent, account);
      this.accounts.push({ shop, account: record.agent });
    }
    // Counted a run of one day at a time: exports list a day's rows together, or an agent's days.
    if (day !== this.#lastDay) {
      this.#countDay();
      this.#lastDay = day;
    }
    this.#lastDayRows++;
    const text = dayFiguresText(day, record.values, record.pending);
    // Written at once, so that each row's text dies young; UTF-8 takes at most 3 bytes a character.
    if (this.#used + text.length * 3 > this.#block.length) {
      if (this.#rows.length > 0) this.#seal();
      this.#block = Buffer.allocUnsafe(Math.max(Math.min(this.#nextBlock, this.pieceBytes), text.length * 3));
      this.#nextBlock *= 2;
      this.#used = 0;
      this.#pieceStart = 0;
    }
    this.#used += this.#block.write(text, this.#used, "utf8");
    this.#rows.push(account);
    this.#ends.push(this.#used);
  }

  /** No more rows: what is kept is ready to be written. */
  close(): void {
    this.#countDay();
    if (this.#rows.length > 0) this.#seal();
  }

  #countDay(): void {
    if (this.#lastDayRows === 0) return;
    this.rowsByDay.set(this.#lastDay, (this.rowsByDay.get(this.#lastDay) ?? 0) + this.#lastDayRows);
    this.#lastDayRows = 0;
  }

  /** Gives up what was kept (the batch will not be stored, or is read again). */
  drop(): void {
    this.#dropped = true;
    this.#pieces.length = 0;
    this.#rows = [];
    this.#block = Buffer.allocUnsafe(0);
    this.#used = 0;
    this.#pieceStart = 0;
    this.#ends = [];
    this.rowsByDay.clear();
    this.#lastDayRows = 0;
  }

  /**
   * The kept rows as COPY text, a piece at a time, with how many rows it holds: each row
   * `before(account) + text + after`, where `before` gives the bytes of a row's fields ahead of
   * its day (its shop and agent).
   */
  *copyText(before: (account: number) => Buffer, after: Buffer): Generator<{ text: Buffer; rows: number }> {
    for (const piece of this.#pieces) {
      let size = piece.bytes.length + piece.accounts.length * after.length;
      for (const account of piece.accounts) size += before(account).length;
      const out = Buffer.allocUnsafe(size);
      let at = 0;
      let start = 0;
      for (let i = 0; i < piece.accounts.length; i++) {
        at += before(piece.accounts[i]!).copy(out, at);
        const end = piece.ends[i]!;
        at += piece.bytes.copy(out, at, start, end);
        at += after.copy(out, at);
        start = end;
      }
      yield { text: out, rows: piece.accounts.length };
    }
  }

  /** The rows since the last piece become one. */
  #seal(): void {
    const start = this.#pieceStart;
    const bytes = this.#block.subarray(start, this.#used);
    const ends = Int32Array.from(this.#ends, (end) => end - start);
    this.#pieces.push({ accounts: Int32Array.from(this.#rows), ends, bytes });
    this.#bytes += bytes.length;
    this.#pieceStart = this.#used;
    this.#rows = [];
    this.#ends = [];
    if (this.#bytes > this.limit) this.drop();
  }
}
