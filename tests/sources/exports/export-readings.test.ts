import { describe, expect, it } from "vitest";
import { InvalidInput } from "../../../src/engine/index.ts";
import { bytesInMemory, parseExport, streamExport } from "../../../src/sources/exports/index.ts";
import type { RecordChunk } from "../../../src/sources/source.ts";

/** An export read a chunk of records at a time, as often as the importer asks. */

const csv = (rows: string[]) =>
  new TextEncoder().encode(["客服昵称,日期,接待人数,回复率", ...rows].join("\n"));
const day = (n: number, replyRate = "95.00%") =>
  Array.from({ length: n }, (_, i) => `客服${i + 1},2026-11-22,${40 + i},${replyRate}`);

async function readingOf(chunks: AsyncIterable<RecordChunk>): Promise<RecordChunk[]> {
  const all: RecordChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

describe("streamExport", () => {
  it("reads the records of parseExport, in their order, a chunk at a time, each time it is asked", async () => {
    const bytes = csv([...day(9), "客服10,2026-11-22,abc,95.00%"]);
    const whole = await parseExport(bytes, { fileName: "day.csv" });
    const streamed = await streamExport(bytesInMemory(bytes), { fileName: "day.csv", chunk: 4 });
    expect(streamed).toMatchObject({ kind: "chitu", source: "chitu", problems: [], ignoredColumns: [] });
    for (let reading = 0; reading < 2; reading++) {
      const chunks = await readingOf(streamed.records.read());
      expect(chunks.map((c) => c.records.length)).toEqual([4, 4, 1]);
      expect(chunks.flatMap((c) => c.records)).toEqual(whole.records);
      expect(chunks.flatMap((c) => c.problems)).toEqual(whole.problems);
    }
  });

  it("says a file that changed between two readings changed, rather than give other records", async () => {
    const bytes = csv(day(6));
    const streamed = await streamExport(bytesInMemory(bytes), { fileName: "day.csv", chunk: 4 });
    await readingOf(streamed.records.read());
    // Saved over while imported: the same length, another reply rate.
    bytes.set(csv(day(6, "96.00%")));
    const second = readingOf(streamed.records.read());
    await expect(second).rejects.toThrow(InvalidInput);
    await expect(second).rejects.toThrow(
      /day\.csv: changed while it was being imported; nothing was imported/,
    );
  });

  it("still says an export with a header and no rows has nothing to import, when it is read", async () => {
    const streamed = await streamExport(bytesInMemory(csv([])), { fileName: "day.csv" });
    await expect(readingOf(streamed.records.read())).rejects.toThrow(/nothing to import/);
  });
});
