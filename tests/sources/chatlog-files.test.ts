import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ChatlogAnalyzer } from "../../src/engine/index.ts";
import { streamBytes } from "../../src/sources/chatlog-files.ts";

const root = join(import.meta.dirname, "../..");

async function read(path: string) {
  const analyzer = new ChatlogAnalyzer();
  await streamBytes(path, "--messages", analyzer.messagesCsv(path));
  return analyzer.finish();
}

describe("chat-log files", () => {
  it("reads a GBK export from Windows as its Chinese text", async () => {
    const result = await read(join(root, "tests/fixtures/messages-gbk.csv"));
    expect(result.problems).toEqual([]);
    expect(result.agentDays[0]).toMatchObject({
      shop: "旗舰店",
      agent: "小张",
      values: { first_response_time: { num: 30, den: 1 } },
    });
    expect(result.facts).toContainEqual(
      expect.objectContaining({ kind: "forbidden_phrase", customer: "顾客甲", phrase: "不知道" }),
    );
  });

  it("reads a file larger than its read chunks the same as in one piece", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kpi-files-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "big.csv");
    const lines = ["ts,session,shop,customer,agent,from,event,to_agent,text"];
    // ~9 MB: more than two 4 MB chunks, lines cut at every chunk edge
    for (let s = 0; s < 40_000; s++) {
      const t = Date.parse("2026-11-11T02:00:00Z") + s * 1000;
      const at = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
      lines.push(`${at(t)},S${s},店A,c${s % 997},小张,customer,message,,${"在吗".repeat(30)}`);
      lines.push(`${at(t + 17_000)},S${s},店A,c${s % 997},小张,agent,message,,"亲，${"有的".repeat(30)}"`);
    }
    writeFileSync(path, `${lines.join("\n")}\n`);
    const result = await read(path);
    expect(result.problems).toEqual([]);
    expect(result.stats.lines).toBe(80_000);
    expect(result.agentDays[0]!.values.first_response_time).toEqual({ num: 17 * 40_000, den: 40_000 });
  });
});
