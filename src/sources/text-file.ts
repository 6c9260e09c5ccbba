import { isUtf8 } from "node:buffer";
import { readFile } from "node:fs/promises";
import { InvalidInput } from "../engine/index.ts";

/**
 * Exports from Chinese back offices arrive as UTF-8 (with or without BOM), UTF-16 ("Unicode
 * text" from Excel) or GBK. Reads the bytes and decodes them by what they are.
 */
export function decodeText(bytes: Uint8Array): string {
  const { encoding, skip } = byteOrderMark(bytes) ?? {
    encoding: isUtf8(bytes) ? "utf-8" : "gb18030",
    skip: 0,
  };
  return new TextDecoder(encoding).decode(bytes.subarray(skip));
}

/** The decoders text files need; GB18030 is the superset of GBK that Windows Excel writes for Chinese text. */
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "gb18030";

/**
 * The encoding a text file's first bytes name by a byte-order mark, and the mark's length.
 * Without one, a file is UTF-8 when all of it is, else GBK / GB18030.
 */
export function byteOrderMark(start: Uint8Array): { encoding: TextEncoding; skip: number } | undefined {
  if (start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) return { encoding: "utf-8", skip: 3 };
  if (start[0] === 0xff && start[1] === 0xfe) return { encoding: "utf-16le", skip: 2 };
  if (start[0] === 0xfe && start[1] === 0xff) return { encoding: "utf-16be", skip: 2 };
  return undefined;
}

/**
 * Checks UTF-8 a piece at a time without decoding it: a character cut by the end of a piece is
 * carried over to the next.
 */
export class Utf8Check {
  private carried = new Uint8Array(0);
  valid = true;

  add(chunk: Uint8Array): void {
    if (!this.valid) return;
    const bytes = this.carried.length === 0 ? chunk : concat(this.carried, chunk);
    const end = completeEnd(bytes);
    this.valid = isUtf8(bytes.subarray(0, end));
    this.carried = bytes.slice(end);
  }

  /** Whether everything added was UTF-8, to its last character. */
  end(): boolean {
    return this.valid && this.carried.length === 0;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** Where the last whole UTF-8 character of `bytes` ends (a lead byte and its continuations). */
function completeEnd(bytes: Uint8Array): number {
  // A character is at most 4 bytes: look at most 3 back for the lead byte of an unfinished one.
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

export async function readTextFile(path: string, option: string): Promise<string> {
  return decodeText(await readFileBytes(path, option));
}

/** A file's bytes; a missing or unreadable file is the user's mistake, named by `option`. */
export async function readFileBytes(path: string, option: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw fileError(error, path, option);
  }
}

/** A file that cannot be read as the user's mistake (InvalidInput naming `option`); other errors as they are. */
export function fileError(error: unknown, path: string, option: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new InvalidInput(option, `file "${path}" does not exist`);
  if (code === "EISDIR") return new InvalidInput(option, `"${path}" is a directory, not a file`);
  if (code === "EACCES") return new InvalidInput(option, `file "${path}" cannot be read (permission denied)`);
  return error;
}
