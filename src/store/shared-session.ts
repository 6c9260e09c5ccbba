import type { PGlite } from "@electric-sql/pglite";

/**
 * PGlite is one PostgreSQL session. Its holder uses it in-process (drizzle, pg-boss), and socket
 * clients send it wire-protocol messages: a client's BEGIN followed by the holder's statements
 * would put them in the client's transaction, and the extended protocol's unnamed statement
 * (Parse, Bind, Execute, Sync) would be overwritten by whoever parses next. So a client takes the
 * session the way the holder's own queries and transactions take it, through PGlite's transaction
 * mutex (PGlite's query, exec and transaction all run under it), from its first message until the
 * server says ReadyForQuery with no transaction open: one statement, or a whole BEGIN…COMMIT. The
 * holder's statements wait for a client's transaction and a client waits for the holder's, in the
 * order they asked. A client that holds the session and goes quiet is cut off after `idleMs`, its
 * transaction rolled back, so a stuck client cannot stop the bot for good.
 *
 * This speaks the queue interface of @electric-sql/pglite-socket's connection handler (which
 * frames the messages): its own queue takes only PGlite's per-message mutex, which leaves both
 * kinds of interleaving open.
 */

export interface SessionClient {
  /** Ends the connection (the client held the session too long without a word). */
  cutOff(): void;
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I': no transaction block
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const COPY_DONE = 0x63; // 'c'
const COPY_FAIL = 0x66; // 'f'
/** Messages the server answers with ReadyForQuery; 0 is the startup packet's first byte. */
const ANSWERED_READY = new Set([SYNC, QUERY, COPY_DONE, COPY_FAIL, 0]);

/** Time a client may hold the session between its messages; then it is cut off. */
export const DEFAULT_IDLE_HOLD_MS = 30_000;

interface Lease {
  handlerId: number;
  release: () => void;
  idle?: NodeJS.Timeout;
}

export class SharedSession {
  readonly #pglite: PGlite;
  readonly #idleMs: number;
  readonly #clients = new Map<number, SessionClient>();
  /** Each client's messages, one after another. */
  readonly #chains = new Map<number, Promise<unknown>>();
  readonly #closed = new Set<number>();
  #lease: Lease | undefined;
  #whenEnded: (() => void)[] = [];

  constructor(pglite: PGlite, options: { idleMs?: number } = {}) {
    this.#pglite = pglite;
    this.#idleMs = options.idleMs ?? DEFAULT_IDLE_HOLD_MS;
  }

  register(handlerId: number, client: SessionClient): void {
    this.#clients.set(handlerId, client);
  }

  /** Runs one framed message of a client; resolves to the bytes answered. */
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return this.#chain(handlerId, () => this.#run(handlerId, message, onData));
  }

  /** The client's connection is gone: its messages not yet run are dropped. */
  clearQueueForHandler(handlerId: number): void {
    this.#closed.add(handlerId);
  }

  /** After the client's last message: rolls back what it left open and gives the session back. */
  clearTransactionIfNeeded(handlerId: number): Promise<void> {
    this.#closed.add(handlerId);
    return this.#chain(handlerId, async () => {
      try {
        if (this.#lease?.handlerId === handlerId) await this.#reset();
      } finally {
        if (this.#lease?.handlerId === handlerId) this.#releaseLease();
        this.#chains.delete(handlerId);
        this.#clients.delete(handlerId);
        this.#closed.delete(handlerId);
        if (this.#clients.size === 0) for (const resolve of this.#whenEnded.splice(0)) resolve();
      }
    });
  }

  /** Resolves once every client's connection has ended and been cleaned up after. */
  ended(): Promise<void> {
    if (this.#clients.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#whenEnded.push(resolve));
  }

  #gone(handlerId: number): boolean {
    return this.#closed.has(handlerId) || !this.#clients.has(handlerId);
  }

  #chain<T>(handlerId: number, step: () => Promise<T>): Promise<T> {
    const before = this.#chains.get(handlerId) ?? Promise.resolve();
    const next = before.then(step, step);
    this.#chains.set(
      handlerId,
      next.catch(() => {}),
    );
    return next;
  }

  async #run(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.#gone(handlerId)) throw new Error("connection closed");
    // PGlite ignores Terminate; the connection's end rolls back and releases.
    if (message[0] === TERMINATE) return 0;
    if (this.#lease?.handlerId !== handlerId) await this.#acquire(handlerId);
    const lease = this.#lease;
    if (lease?.handlerId !== handlerId) throw new Error("session lease lost");
    clearTimeout(lease.idle);
    if (this.#gone(handlerId)) {
      this.#releaseLease();
      throw new Error("connection closed");
    }
    let sent = 0;
    const tail = new Uint8Array(6);
    let tailLength = 0;
    try {
      await this.#pglite.runExclusive(() =>
        this.#pglite.execProtocolRawStream(message, {
          onRawData: (bytes) => {
            sent += bytes.length;
            tailLength = keepTail(tail, tailLength, bytes);
            onData(bytes);
          },
        }),
      );
    } catch (error) {
      // PGlite itself failed (not an SQL error, which is an answer): this client is done.
      this.#cutOff(handlerId);
      throw error;
    }
    if (ANSWERED_READY.has(message[0]!) && tailLength === 6 && readyIdle(tail)) {
      this.#releaseLease();
    } else {
      lease.idle = setTimeout(() => this.#cutOff(handlerId), this.#idleMs);
      lease.idle.unref();
    }
    return sent;
  }

  /** A client held the session too long without a word: rolled back, released, disconnected. */
  #cutOff(handlerId: number): void {
    const client = this.#clients.get(handlerId);
    this.clearQueueForHandler(handlerId);
    void this.clearTransactionIfNeeded(handlerId);
    client?.cutOff();
  }

  #acquire(handlerId: number): Promise<void> {
    return new Promise((granted, failed) => {
      this.#pglite
        ._runExclusiveTransaction(
          () =>
            new Promise<void>((release) => {
              this.#lease = { handlerId, release };
              granted();
            }),
        )
        .catch(failed);
    });
  }

  #releaseLease(): void {
    const lease = this.#lease;
    if (!lease) return;
    clearTimeout(lease.idle);
    this.#lease = undefined;
    lease.release();
  }

  /** Ends a half-sent extended query (Sync) and rolls back an open transaction. */
  async #reset(): Promise<void> {
    const discard = () => {};
    await this.#pglite.runExclusive(async () => {
      await this.#pglite.execProtocolRawStream(SYNC_MESSAGE, { onRawData: discard });
      if (this.#pglite.isInTransaction()) {
        await this.#pglite.execProtocolRawStream(queryMessage("ROLLBACK"), { onRawData: discard });
      }
    });
  }
}

const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);

function queryMessage(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, "utf8");
  const message = Buffer.alloc(5 + body.length);
  message[0] = QUERY;
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

/** ReadyForQuery ('Z', length 5) saying no transaction block is open. */
function readyIdle(tail: Uint8Array): boolean {
  return (
    tail[0] === READY_FOR_QUERY &&
    tail[1] === 0 &&
    tail[2] === 0 &&
    tail[3] === 0 &&
    tail[4] === 5 &&
    tail[5] === IDLE
  );
}

/** Keeps the last bytes of a stream in `tail` (its capacity); returns how many it holds. */
function keepTail(tail: Uint8Array, held: number, bytes: Uint8Array): number {
  const size = tail.length;
  if (bytes.length >= size) {
    tail.set(bytes.subarray(bytes.length - size));
    return size;
  }
  const keep = Math.min(held, size - bytes.length);
  tail.copyWithin(0, held - keep, held);
  tail.set(bytes, keep);
  return keep + bytes.length;
}
