// The scan-limit pass of one byte range of a messages CSV (bench/chatlog/scan-limit.ts): each
// line's field offsets found, quote-aware, and nothing else computed. Plain JavaScript, so that a
// worker starts without a TypeScript loader; it is the most any reader of these bytes could do on
// one core, and the bench prints ours as a share of it. Its quote loop is the one of
// src/engine/chatlog/message-reader.ts written again on purpose: the floor must not load the engine
// it measures.
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";

const LF = 10;
const COMMA = 44;
const QUOTE = 34;
const CHUNK = 1 << 20;

/**
 * Finds the fields of the complete lines of b[start, end); returns where the first incomplete
 * line starts (end when every line is complete or `final`). Offsets go into `starts`, reused.
 */
function scanLines(b, start, end, final, starts, tally) {
  let pos = start;
  while (pos < end) {
    const lineStart = pos;
    let field = 0;
    let complete = false;
    for (;;) {
      if (field < starts.length) starts[field] = pos;
      field++;
      if (b[pos] === QUOTE) {
        pos++;
        for (;;) {
          while (pos < end && b[pos] !== QUOTE) pos++;
          if (pos + 1 < end && b[pos + 1] === QUOTE) pos += 2;
          else break;
        }
        if (pos + 1 >= end && !final) break;
        pos++;
      } else {
        while (pos < end) {
          const c = b[pos];
          if (c === COMMA || c === LF) break;
          pos++;
        }
      }
      if (pos >= end) {
        complete = final;
        break;
      }
      if (b[pos++] === LF) {
        complete = true;
        break;
      }
    }
    if (!complete) return lineStart;
    tally.lines++;
    tally.fields += field;
  }
  return end;
}

/** Scans bytes [start, end) of the file at `path`, 1 MB at a time, lines carried across chunks. */
function scanRange(path, start, end) {
  const tally = { lines: 0, fields: 0 };
  const starts = new Int32Array(64);
  const buffer = new Uint8Array(2 * CHUNK);
  const fd = openSync(path, "r");
  try {
    let filled = 0;
    let position = start;
    while (position < end) {
      const got = readSync(fd, buffer, filled, Math.min(CHUNK, end - position), position);
      if (got === 0) break;
      position += got;
      const stop = filled + got;
      const consumed = scanLines(buffer, 0, stop, position >= end, starts, tally);
      buffer.copyWithin(0, consumed, stop);
      filled = stop - consumed;
    }
  } finally {
    closeSync(fd);
  }
  return tally;
}

const { path, start, end } = workerData;
parentPort.postMessage(scanRange(path, start, end));
