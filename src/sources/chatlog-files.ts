import { open } from "node:fs/promises";
import { extname } from "node:path";
import { InvalidInput } from "../engine/index.ts";

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

const CHUNK = 4 << 20;

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

/** Feeds a file's bytes (CSV or JSON Lines) to `reader`. */
export async function streamBytes(path: string, option: string, reader: ByteReader): Promise<void> {
  const file = await openFile(path, option);
  try {
    let buffer = new Uint8Array(CHUNK);
    let filled = 0;
    let first = true;
    let transcode: InstanceType<typeof TextDecoder> | undefined;
    const encoder = new TextEncoder();
    for (;;) {
      if (filled === buffer.length) {
        const bigger = new Uint8Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      const room = transcode ? Math.min(buffer.length - filled, CHUNK / 4) : buffer.length - filled;
      const { bytesRead } = await file.read(buffer, filled, room, null);
      let start = 0;
      let end = filled + bytesRead;
      if (first) {
        first = false;
        if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
        else if (!looksUtf8(buffer.subarray(0, end))) transcode = new TextDecoder("gb18030");
      }
      if (transcode && bytesRead > 0) {
        // GBK: decode what was read, re-encode as UTF-8 in place of it.
        const text = transcode.decode(buffer.subarray(filled, end), { stream: true });
        const utf8 = encoder.encode(text);
        if (filled + utf8.length > buffer.length) {
          const bigger = new Uint8Array((filled + utf8.length) * 2);
          bigger.set(buffer.subarray(0, filled));
          buffer = bigger;
        }
        buffer.set(utf8, filled);
        end = filled + utf8.length;
      }
      const final = bytesRead === 0;
      const consumed = reader.push(buffer, start, end, final);
      if (final) return;
      buffer.copyWithin(0, consumed, end);
      filled = end - consumed;
    }
  } finally {
    await file.close();
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
