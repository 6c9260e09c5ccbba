/**
 * Byte-level writing for the generator: files filled through reused ~1 MB buffers, and an arena
 * of sessions' encoded fields.
 */
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { type TimeStyle, TimestampWriter } from "./generate-calendar.ts";

const CHUNK_BYTES = 1 << 20;

/**
 * Sessions' fixed fields (`session,shop,customer,` and the JSON equivalent), encoded once per
 * session into one byte arena rather than an object per session. An entry: 2 bytes CSV length,
 * 2 bytes JSON length, the CSV bytes, the JSON bytes.
 */
export class PrefixArena {
  bytes: Buffer = Buffer.allocUnsafeSlow(64 * 1024);
  private used = 0;

  /** Adds an entry; returns its position. */
  add(csv: string, json: string): number {
    const needed = 4 + 3 * (csv.length + json.length);
    if (this.used + needed > this.bytes.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.used + needed));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    const at = this.used;
    const csvLength = this.bytes.write(csv, at + 4);
    const jsonLength = this.bytes.write(json, at + 4 + csvLength);
    this.bytes.writeUInt16LE(csvLength, at);
    this.bytes.writeUInt16LE(jsonLength, at + 2);
    this.used = at + 4 + csvLength + jsonLength;
    return at;
  }

  clear(): void {
    this.used = 0;
  }
}

/** A file written from ~1 MB byte buffers; `drain` waits when the stream asks for it. */
export class ByteFile {
  private buffer: Buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private pos = 0;
  /** Written buffers, free for reuse. */
  private readonly spare: Buffer[] = [];
  private readonly stream: WriteStream;
  private readonly timestamps = new TimestampWriter();

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  /** Makes room for `bytes` more bytes. */
  room(bytes: number): void {
    if (this.pos + bytes > this.buffer.length) this.flush(bytes);
  }

  bytes(bytes: Uint8Array): void {
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Copies `length` bytes of `source` from `start` (a loop: these are short, and a view per copy is garbage). */
  copy(source: Uint8Array, start: number, length: number): void {
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = start, end = start + length; i < end; i++) buffer[pos++] = source[i]!;
    this.pos = pos;
  }

  byte(byte: number): void {
    this.buffer[this.pos++] = byte;
  }

  timestamp(ms: number, style: TimeStyle): void {
    this.pos = this.timestamps.write(this.buffer, this.pos, ms, style);
  }

  string(text: string): void {
    this.room(text.length * 3);
    this.pos += this.buffer.write(text, this.pos);
  }

  async drain(): Promise<void> {
    // Asks the stream, not a flag of ours: its drain may have come while another file was waited for.
    if (this.stream.writableNeedDrain) await once(this.stream, "drain");
  }

  /** Closes the file; returns its size in bytes. */
  async close(): Promise<number> {
    this.flush(0);
    this.stream.end();
    await finished(this.stream);
    return this.stream.bytesWritten;
  }

  /**
   * Hands the filled part to the stream and goes on in another buffer; a buffer is reused once
   * the stream has written it (garbage buffers would pile up outside the heap faster than the
   * garbage collector frees them).
   */
  private flush(needed: number): void {
    const full = this.buffer;
    if (this.pos > 0) this.stream.write(full.subarray(0, this.pos), () => this.spare.push(full));
    else this.spare.push(full);
    this.buffer =
      (needed <= CHUNK_BYTES ? this.spare.pop() : undefined) ??
      Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, needed));
    this.pos = 0;
  }
}
