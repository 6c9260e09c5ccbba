import { pipeline, Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";
import { InvalidInput } from "../../engine/index.ts";
import type { ExportBytes } from "./export-bytes.ts";
import { sizeText, type ZipEntry } from "./zip-directory.ts";

/**
 * One part of a zip as UTF-8 text, inflated a piece at a time. It may not give more bytes than
 * the zip directory declared for it (a directory can lie about a bomb), nor a run of text longer
 * than any cell can be: the XML parser holds a text node whole until its next tag.
 */

const LOCAL_HEADER = 0x04034b50;
/** Characters between two tags; Excel's own limit for a cell is 32,767. */
export const LONGEST_TEXT_RUN = 1 << 20;
const READ_SIZE = 1 << 16;

const refuse = (fileName: string, why: string) =>
  new InvalidInput(fileName, `${why}; not an export kpi-bot can read`);

async function dataStart(source: ExportBytes, entry: ZipEntry, fileName: string): Promise<number> {
  const header = await source.read(entry.localHeaderOffset, 30);
  const data = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (header.length < 30 || data.getUint32(0, true) !== LOCAL_HEADER)
    throw refuse(fileName, `its zip entry ${entry.name} is damaged`);
  const start = entry.localHeaderOffset + 30 + data.getUint16(26, true) + data.getUint16(28, true);
  if (start + entry.compressedSize > source.size)
    throw refuse(fileName, `its zip entry ${entry.name} is cut short`);
  return start;
}

async function* storedBytes(source: ExportBytes, start: number, length: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < length; ) {
    const chunk = await source.read(start + offset, Math.min(READ_SIZE, length - offset));
    if (chunk.length === 0) return;
    offset += chunk.length;
    yield chunk;
  }
}

/** The entry's bytes once inflated, no more than it declares. */
async function* entryBytes(
  source: ExportBytes,
  entry: ZipEntry,
  fileName: string,
): AsyncGenerator<Uint8Array> {
  const start = await dataStart(source, entry, fileName);
  const compressed = storedBytes(source, start, entry.compressedSize);
  const inflated =
    entry.method === 0
      ? compressed
      : pipeline(Readable.from(compressed, { objectMode: false }), createInflateRaw(), () => {});
  let produced = 0;
  try {
    for await (const chunk of inflated as AsyncIterable<Uint8Array>) {
      produced += chunk.length;
      if (produced > entry.size)
        throw refuse(
          fileName,
          `${entry.name} expands beyond the ${sizeText(entry.size)} its zip directory declares`,
        );
      yield chunk;
    }
  } catch (error) {
    if (error instanceof InvalidInput) throw error;
    throw new InvalidInput(
      fileName,
      `is not a readable xlsx workbook: ${entry.name}: ${(error as Error).message}`,
    );
  }
  if (produced !== entry.size)
    throw refuse(fileName, `${entry.name} is shorter than its zip directory declares`);
}

/** The entry as text, checked for runs of text no cell can hold. */
export async function* entryText(
  source: ExportBytes,
  entry: ZipEntry,
  fileName: string,
): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let run = 0;
  for await (const bytes of entryBytes(source, entry, fileName)) {
    const text = decoder.decode(bytes, { stream: true });
    const lastMark = Math.max(text.lastIndexOf("<"), text.lastIndexOf(">"));
    run = lastMark === -1 ? run + text.length : text.length - 1 - lastMark;
    if (run > LONGEST_TEXT_RUN)
      throw refuse(
        fileName,
        `${entry.name} holds more than ${LONGEST_TEXT_RUN.toLocaleString("en-US")} characters without markup ` +
          "(a cell holds at most 32,767)",
      );
    if (text !== "") yield text;
  }
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}
