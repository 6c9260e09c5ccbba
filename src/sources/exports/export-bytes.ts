import { open } from "node:fs/promises";
import { fileError } from "../text-file.ts";

/**
 * An export's bytes, read a piece at a time: from memory, or from its file without loading the
 * file whole (a month's CSV of a big shop is hundreds of megabytes; an xlsx is read from its end,
 * the zip directory, and then only the parts a table needs).
 */
export interface ExportBytes {
  readonly size: number;
  /** Up to `length` bytes from `offset`; fewer only at the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface ExportFile extends ExportBytes {
  close(): Promise<void>;
}

export function bytesInMemory(bytes: Uint8Array): ExportBytes {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(offset + length, bytes.length)),
  };
}

/** Opens a file for reading; a missing or unreadable file is the user's mistake, named by `option`. */
export async function openExportFile(path: string, option: string): Promise<ExportFile> {
  try {
    const handle = await open(path, "r");
    try {
      const info = await handle.stat();
      if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
      return {
        size: info.size,
        read: async (offset, length) => {
          const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, info.size - offset)));
          let filled = 0;
          while (filled < buffer.length) {
            const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, offset + filled);
            if (bytesRead === 0) break;
            filled += bytesRead;
          }
          return buffer.subarray(0, filled);
        },
        close: () => handle.close(),
      };
    } catch (error) {
      await handle.close();
      throw error;
    }
  } catch (error) {
    throw fileError(error, path, option);
  }
}

/** Reads `source` from start to end, `size` bytes at a time. */
export async function* chunksOf(source: ExportBytes, size = 1 << 20): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < source.size; ) {
    const chunk = await source.read(offset, size);
    if (chunk.length === 0) return;
    offset += chunk.length;
    yield chunk;
  }
}
