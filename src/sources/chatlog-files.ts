import { type FileHandle, open } from "node:fs/promises";
import { extname } from "node:path";
// The errors module alone: a reading thread (chatlog-worker.ts) need not load the whole engine.
import { InvalidInput } from "../engine/errors.ts";

/**
 * Streams a chat-log file (CSV or JSON Lines) into a reader chunk by chunk, so memory does not
 * grow with the file. CSV goes in as bytes (the readers parse bytes, not strings); a file that
 * is not UTF-8 (GBK from a Windows export) is transcoded on the way.
 */

export interface ByteReader {
  push(bytes: Uint8Array, start: number, end: number, final: boolean): number;
}

export interface LineReader {
  line(text: string, line: number): void;
}

export type FileFormat = "csv" | "jsonl";

const CHUNK = 1 << 20;

export function formatOf(path: string): FileFormat {
  const ext = extname(path).toLowerCase();
  return ext === ".jsonl" || ext === ".ndjson" || ext === ".json" ? "jsonl" : "csv";
}

async function openFile(path: string, option: string) {
  try {
    return await open(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InvalidInput(option, `file "${path}" does not exist`);
    if (code === "EISDIR") throw new InvalidInput(option, `"${path}" is a directory, not a file`);
    if (code === "EACCES")
      throw new InvalidInput(option, `file "${path}" cannot be read (permission denied)`);
    throw error;
  }
}

/** True if the bytes are UTF-8 (a character cut at the end is allowed). */
function looksUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The bytes [start, end) of a file in chunks, the next read already under way while the caller
 * works on a chunk, so that reading the disk and parsing overlap. A chunk is only valid until the
 * next one is asked for.
 */
export async function* chunksOf(file: FileHandle, start: number, end: number): AsyncGenerator<Uint8Array> {
  const buffers = [new Uint8Array(CHUNK), new Uint8Array(CHUNK)];
  let position = start;
  const fill = async (buffer: Uint8Array): Promise<number> => {
    const from = position;
    const want = Math.min(buffer.length, end - from);
    position += want;
    let got = 0;
    while (got < want) {
      const { bytesRead } = await file.read(buffer, got, want - got, from + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got;
  };
  let which = 0;
  let pending = fill(buffers[0]!);
  for (;;) {
    const length = await pending;
    if (length === 0) return;
    const current = buffers[which]!;
    which ^= 1;
    pending = fill(buffers[which]!);
    yield current.subarray(0, length);
  }
}

/**
 * Feeds chunks to `reader`, carrying each incomplete last line over to the next chunk. The
 * buffer passed keeps a spare byte past the data (the readers put a sentinel there).
 */
export async function feedChunks(
  chunks: AsyncIterable<Uint8Array>,
  reader: ByteReader,
  first?: Uint8Array,
): Promise<void> {
  let buffer = new Uint8Array(2 * CHUNK + 1);
  let filled = 0;
  const append = (bytes: Uint8Array) => {
    if (filled + bytes.length + 1 > buffer.length) {
      const bigger = new Uint8Array((filled + bytes.length + 1) * 2);
      bigger.set(buffer.subarray(0, filled));
      buffer = bigger;
    }
    buffer.set(bytes, filled);
    const end = filled + bytes.length;
    const consumed = reader.push(buffer, 0, end, false);
    buffer.copyWithin(0, consumed, end);
    filled = end - consumed;
  };
  if (first) append(first);
  for await (const chunk of chunks) append(chunk);
  reader.push(buffer, 0, filled, true);
}

/** Feeds a file's bytes (CSV or JSON Lines) to `reader`; GBK is turned into UTF-8 on the way. */
export async function streamBytes(path: string, option: string, reader: ByteReader): Promise<void> {
  const file = await openFile(path, option);
  try {
    const { size } = await file.stat();
    await feedChunks(utf8Chunks(chunksOf(file, 0, size)), reader);
  } finally {
    await file.close();
  }
}

/** Chunks as UTF-8 without a BOM: a file that is not UTF-8 (GBK from Windows) is transcoded. */
export async function* utf8Chunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let first = true;
  let transcode: InstanceType<typeof TextDecoder> | undefined;
  const encoder = new TextEncoder();
  for await (let chunk of chunks) {
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      else if (!looksUtf8(chunk)) transcode = new TextDecoder("gb18030");
    }
    yield transcode ? encoder.encode(transcode.decode(chunk, { stream: true })) : chunk;
  }
  if (transcode) {
    const rest = encoder.encode(transcode.decode());
    if (rest.length) yield rest;
  }
}

/** Feeds a JSON Lines file to `reader`, a line of text at a time. */
export async function streamLines(path: string, option: string, reader: LineReader): Promise<void> {
  const file = await openFile(path, option);
  try {
    const buffer = new Uint8Array(CHUNK);
    let decoder: InstanceType<typeof TextDecoder> | undefined;
    let carry = "";
    let line = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      const bytes = buffer.subarray(0, bytesRead);
      if (!decoder) decoder = new TextDecoder(looksUtf8(bytes) ? "utf-8" : "gb18030");
      const text = carry + decoder.decode(bytes, { stream: bytesRead > 0 });
      const parts = text.split("\n");
      carry = bytesRead > 0 ? parts.pop()! : "";
      for (const part of parts) reader.line(part.endsWith("\r") ? part.slice(0, -1) : part, ++line);
      if (bytesRead === 0) {
        if (carry) reader.line(carry, ++line);
        return;
      }
    }
  } finally {
    await file.close();
  }
}
