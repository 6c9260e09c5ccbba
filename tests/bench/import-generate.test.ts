import { describe, expect, it } from "vitest";
import { generateExport } from "../../bench/import/generate.ts";
import { parseExport } from "../../src/sources/exports/index.ts";

describe("the import benchmark's Chitu export", () => {
  it("reads as the same records whether written as UTF-8 with a BOM or as GBK", async () => {
    const utf8 = generateExport({ agents: 30, days: 4 });
    const gbk = generateExport({ agents: 30, days: 4, encoding: "gbk" });
    expect(gbk.subarray(0, 3)).not.toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(new TextDecoder("gbk").decode(gbk)).toContain("旗舰店:客服00030,2026-12-04");
    const [fromUtf8, fromGbk] = await Promise.all([
      parseExport(utf8, { fileName: "utf8.csv" }),
      parseExport(gbk, { fileName: "gbk.csv" }),
    ]);
    expect(fromUtf8.problems).toEqual([]);
    expect(fromUtf8.records).toHaveLength(120);
    expect(fromGbk).toEqual(fromUtf8);
  });
});
