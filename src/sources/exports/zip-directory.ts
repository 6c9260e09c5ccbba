import { InvalidInput } from "../../engine/index.ts";
import type { ExportBytes } from "./export-bytes.ts";

/**
 * The central directory of a zip file (an xlsx workbook is one), read from the file's end and
 * checked before anything is inflated: a zip bomb (a few hundred kilobytes that inflate to
 * gigabytes) is refused by what its directory says. What the directory says is checked again
 * while inflating (zip-entry-text.ts): an entry may not give more than it declares.
 */

export interface ZipEntry {
  name: string;
  /** 0: stored, 8: deflated. */
  method: number;
  compressedSize: number;
  /** Declared size once inflated. */
  size: number;
  localHeaderOffset: number;
}

/** What an xlsx export may be; real ones are far below each (docs/imports.md, "Files"). */
export const ZIP_LIMITS = {
  /** Files in the zip: a workbook holds a dozen or so, one per sheet, style, theme … */
  entries: 10_000,
  /** Total declared size once inflated. */
  expanded: 500_000_000,
  /** Inflated ÷ compressed for one entry: worksheet XML deflates about 10:1, a zip bomb 1000:1. */
  ratio: 100,
  /** Entries smaller than this are not held to the ratio (a tiny part may compress well). */
  ratioFrom: 1_000_000,
};

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

/** "409 KB", "419 MB". */
export const sizeText = (bytes: number) =>
  bytes < 1e6 ? `${Math.ceil(bytes / 1e3)} KB` : `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`;
const refuse = (fileName: string, why: string) =>
  new InvalidInput(fileName, `${why}; not an export kpi-bot can read`);

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A 64-bit size as a number (an export is far below 2^53 bytes). */
const u64 = (data: DataView, at: number) => Number(data.getBigUint64(at, true));

interface Directory {
  entries: number;
  size: number;
  offset: number;
}

async function directoryOf(source: ExportBytes, fileName: string): Promise<Directory> {
  const tailLength = Math.min(source.size, EOCD_SIZE + MAX_COMMENT);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  const data = view(tail);
  for (let at = tail.length - EOCD_SIZE; at >= 0; at--) {
    if (data.getUint32(at, true) !== EOCD) continue;
    const directory = {
      entries: data.getUint16(at + 10, true),
      size: data.getUint32(at + 12, true),
      offset: data.getUint32(at + 16, true),
    };
    const zip64 = directory.entries === 0xffff || directory.offset === 0xffffffff;
    const locatorAt = tailStart + at - 20;
    if (!zip64 || locatorAt < 0) return directory;
    const locator = view(await source.read(locatorAt, 20));
    if (locator.getUint32(0, true) !== ZIP64_LOCATOR) return directory;
    const record = view(await source.read(u64(locator, 8), 56));
    if (record.byteLength < 56 || record.getUint32(0, true) !== ZIP64_EOCD)
      throw refuse(fileName, "its zip directory is damaged");
    return { entries: u64(record, 32), size: u64(record, 40), offset: u64(record, 48) };
  }
  throw new InvalidInput(fileName, "is not a readable xlsx workbook: no zip directory at its end");
}

/** The sizes and offset of an entry, from its ZIP64 extra field where the 32-bit ones are full. */
function zip64Sizes(extra: DataView, entry: ZipEntry): void {
  for (let at = 0; at + 4 <= extra.byteLength; ) {
    const id = extra.getUint16(at, true);
    const length = extra.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        const value = field + 8 <= at + 4 + length ? u64(extra, field) : undefined;
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next() ?? entry.size;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next() ?? entry.localHeaderOffset;
      return;
    }
    at += 4 + length;
  }
}

/**
 * The zip's entries by name, refused (InvalidInput naming the file) when there are too many, one
 * is encrypted or compressed in a way xlsx never is, or they would inflate too far.
 */
export async function readZipDirectory(
  source: ExportBytes,
  fileName: string,
): Promise<Map<string, ZipEntry>> {
  const directory = await directoryOf(source, fileName);
  if (directory.entries > ZIP_LIMITS.entries)
    throw refuse(fileName, `it holds ${directory.entries} files (an xlsx workbook holds a few dozen)`);
  // 46 bytes a record and a name; a directory bigger than its entries could need is damaged.
  if (
    directory.offset + directory.size > source.size ||
    directory.size > directory.entries * (46 + 3 * 0xffff)
  )
    throw refuse(fileName, "its zip directory is damaged");
  const bytes = await source.read(directory.offset, directory.size);
  const data = view(bytes);
  const names = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  let expanded = 0;
  let at = 0;
  for (let i = 0; i < directory.entries; i++) {
    if (at + 46 > bytes.length || data.getUint32(at, true) !== CENTRAL)
      throw refuse(fileName, "its zip directory is damaged");
    const flags = data.getUint16(at + 8, true);
    const nameLength = data.getUint16(at + 28, true);
    const extraLength = data.getUint16(at + 30, true);
    const commentLength = data.getUint16(at + 32, true);
    const entry: ZipEntry = {
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)).replace(/^\//, ""),
      method: data.getUint16(at + 10, true),
      compressedSize: data.getUint32(at + 20, true),
      size: data.getUint32(at + 24, true),
      localHeaderOffset: data.getUint32(at + 42, true),
    };
    const extraAt = at + 46 + nameLength;
    zip64Sizes(new DataView(bytes.buffer, bytes.byteOffset + extraAt, extraLength), entry);
    at = extraAt + extraLength + commentLength;
    if (flags & 0x0001) throw refuse(fileName, `${entry.name} is encrypted`);
    if (entry.method !== 0 && entry.method !== 8)
      throw refuse(fileName, `${entry.name} is compressed with method ${entry.method} (xlsx uses deflate)`);
    expanded += entry.size;
    if (expanded > ZIP_LIMITS.expanded)
      throw refuse(fileName, `it expands to more than ${sizeText(ZIP_LIMITS.expanded)}`);
    const ratio = entry.size / Math.max(1, entry.compressedSize);
    if (entry.size >= ZIP_LIMITS.ratioFrom && ratio > ZIP_LIMITS.ratio)
      throw refuse(
        fileName,
        `${entry.name} expands ${Math.round(ratio)} times (${sizeText(entry.compressedSize)} to ${sizeText(entry.size)}; ` +
          `a workbook's parts expand about 10 times)`,
      );
    entries.set(entry.name, entry);
  }
  return entries;
}
