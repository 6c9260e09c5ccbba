import { createHash, type Hash } from "node:crypto";
import type { ExportBytes } from "./export-bytes.ts";

/**
 * The bytes one reading of a file was given, as a digest. A file whose records are read twice
 * (once for its problems, once to store them) must give the second reading what it gave the
 * first: a pull may find a file still being written, a user may save over one being imported.
 * The table readers read in an order the bytes alone decide, so the same file gives the same
 * digest, and a reading that saw other bytes gives another.
 */
export class ReadFingerprint implements ExportBytes {
  private hash: Hash | undefined;

  constructor(private readonly source: ExportBytes) {}

  get size(): number {
    return this.source.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await this.source.read(offset, length);
    if (this.hash) {
      const at = new DataView(new ArrayBuffer(8));
      at.setFloat64(0, offset);
      this.hash.update(new Uint8Array(at.buffer)).update(bytes);
    }
    return bytes;
  }

  /** Starts a reading: what it reads from now on counts. */
  begin(): void {
    this.hash = createHash("sha1");
  }

  /** The reading's digest. */
  end(): string {
    const digest = this.hash?.digest("hex") ?? "";
    this.hash = undefined;
    return digest;
  }
}
