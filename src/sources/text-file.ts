import { readFile } from "node:fs/promises";
import { InvalidInput } from "../engine/index.ts";

/**
 * Exports from Chinese back offices arrive as UTF-8 (with or without BOM), UTF-16 ("Unicode
 * text" from Excel) or GBK. Reads the bytes and decodes them by what they are.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder("utf-8").decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: GB18030 is the superset of GBK that Windows Excel writes for Chinese text.
    return new TextDecoder("gb18030").decode(bytes);
  }
}

export async function readTextFile(path: string, option: string): Promise<string> {
  return decodeText(await readFileBytes(path, option));
}

/** A file's bytes; a missing or unreadable file is the user's mistake, named by `option`. */
export async function readFileBytes(path: string, option: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InvalidInput(option, `file "${path}" does not exist`);
    if (code === "EISDIR") throw new InvalidInput(option, `"${path}" is a directory, not a file`);
    if (code === "EACCES")
      throw new InvalidInput(option, `file "${path}" cannot be read (permission denied)`);
    throw error;
  }
}
