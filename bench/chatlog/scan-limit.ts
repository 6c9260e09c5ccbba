/**
 * The scan limit: how fast plain JavaScript can merely find the fields of each line of the
 * messages CSV (quote-aware, nothing computed) on `threads` cores. The file is cut into byte
 * ranges at line starts as our reader cuts it (chatlog-parts.ts: findLineStart near each k/n of
 * the file) and each range is scanned by a worker thread (scan-limit-worker.mjs); the time runs
 * from the first worker's start to the last one's answer.
 */
import { open, stat } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import { findLineStart } from "../../src/engine/chatlog/message-reader.ts";

export interface ScanLimit {
  seconds: number;
  lines: number;
}

const workerEntry = new URL("./scan-limit-worker.mjs", import.meta.url);

/** Byte offsets where the parts start (the first just after the header), and the file size. */
async function cuts(path: string, parts: number): Promise<number[]> {
  const { size } = await stat(path);
  const file = await open(path, "r");
  try {
    const window = new Uint8Array(1 << 20);
    const { bytesRead } = await file.read(window, 0, window.length, 0);
    const headerEnd = window.indexOf(10) + 1;
    const header = new TextDecoder().decode(window.subarray(0, headerEnd)).trim().split(",");
    const at = [headerEnd];
    for (let k = 1; k < parts && bytesRead > 0; k++) {
      const from = Math.floor((size * k) / parts);
      const { bytesRead: got } = await file.read(window, 0, window.length, from);
      const start = findLineStart(window, 0, got, header.length, header.indexOf("ts"));
      if (start >= 0 && from + start > at[at.length - 1]!) at.push(from + start);
    }
    at.push(size);
    return at;
  } finally {
    await file.close();
  }
}

function scanPart(path: string, start: number, end: number): Promise<{ lines: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerEntry, { workerData: { path, start, end } });
    worker.once("message", (tally: { lines: number }) => {
      resolve(tally);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

/** One scan of the CSV at `path` on `threads` worker threads. */
export async function scanLimit(path: string, threads: number): Promise<ScanLimit> {
  const at = await cuts(path, threads);
  const begin = performance.now();
  const tallies = await Promise.all(at.slice(0, -1).map((start, k) => scanPart(path, start, at[k + 1]!)));
  return {
    seconds: (performance.now() - begin) / 1000,
    lines: tallies.reduce((sum, t) => sum + t.lines, 0),
  };
}
