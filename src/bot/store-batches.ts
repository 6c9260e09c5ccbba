import { createHash } from "node:crypto";
import type { Db } from "../store/database.ts";
import { type ImportableBatch, type ImportOutcome, importBatch } from "../store/import-repo.ts";

/**
 * Storing a source's batch: what every source goes through. The periods whose figures changed
 * (the day, its week and its month) are owed a re-score in the same transaction; drain-owed.ts
 * pays it, and a changed scorecard is audited.
 */

export interface StoreBatchOptions {
  shopId: string;
  day?: string;
  fileName?: string;
  /** Hash of the file's bytes; for generated or fetched batches, of the batch itself (in memory only). */
  fileHash?: string;
  unknownAgents: "reject" | "create";
  defaultRole: string;
  actor: string;
  now: Date;
  /** Agent-days written so far, for a progress bar. */
  onProgress?: (written: number, total: number) => void;
}

export function hashBytes(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** hashBytes of bytes that arrive in pieces: a file read a megabyte at a time, never whole. */
export async function hashChunks(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of chunks) hash.update(chunk);
  return hash.digest("hex");
}

export async function storeBatch(
  db: Db,
  batch: ImportableBatch,
  options: StoreBatchOptions,
): Promise<ImportOutcome> {
  const { fileHash, fileName, day, ...rest } = options;
  return importBatch(db, batch, {
    ...rest,
    fileHash: fileHash ?? hashOfBatch(batch),
    ...(fileName === undefined ? {} : { fileName }),
    ...(day === undefined ? {} : { day }),
  });
}

function hashOfBatch(batch: ImportableBatch): string {
  if (!Array.isArray(batch.records)) throw new Error("a streamed batch is stored with its file's hash");
  return hashBytes(JSON.stringify(batch));
}
