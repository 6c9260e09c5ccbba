import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedEnv, KPI_BIN, runKpi } from "../support/kpi-process.ts";

/**
 * `npm start` as a person sees it: the real `kpi` binary on a pseudo-terminal (util-linux
 * `script` gives the child one), stdout and stderr together as the terminal shows them. The
 * console tells its story in order, and the log stays out of it unless --verbose asks for it.
 */

const dir = mkdtempSync(join(tmpdir(), "kpi-terminal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `kpi args…` on a terminal in `dataDir`; what the terminal showed, line by line. */
function onTerminal(args: string[], dataDir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const command = [process.execPath, KPI_BIN, ...args].map((part) => `'${part}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: dir,
      env: embeddedEnv({ KPI_DATA_DIR: dataDir, ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let shown = "";
    child.stdout.on("data", (d) => {
      shown += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`kpi ${args.join(" ")} exited ${code}:\n${shown}`));
      // Colours and the progress bars' cursor moves are the terminal's business, not the text's.
      const text = stripVTControlCharacters(shown).replace(/\r/g, "");
      resolve(text.split("\n").filter((line) => line.trim() !== ""));
    });
  });
}

const firstIndex = (lines: string[], pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
const lastIndex = (lines: string[], pattern: RegExp) => lines.findLastIndex((line) => pattern.test(line));
const jsonLines = (lines: string[]) => lines.filter((line) => line.trimStart().startsWith("{"));

describe("kpi start --once on a terminal", () => {
  // One demo load, copied: both starts then find the same data and run the same start-up pull.
  beforeAll(async () => {
    const loaded = await runKpi(["demo"], { cwd: dir, env: embeddedEnv({ KPI_DATA_DIR: join(dir, "a") }) });
    expect(loaded.code, loaded.stderr).toBe(0);
    cpSync(join(dir, "a"), join(dir, "b"), { recursive: true });
  }, 120_000);

  it("tells its story in Chinese, in order, with no log line", async () => {
    const lines = await onTerminal(["start", "--once"], join(dir, "a"), { KPI_LANG: "" });
    expect(jsonLines(lines)).toEqual([]);
    expect(lines.join("\n")).not.toMatch(/slot-started|INFO/);
    const nudges = firstIndex(lines, /^━━ 提醒（\d+ 条消息）━━$/);
    const story = [
      firstIndex(lines, /^数据库：内置 PGlite（.*a）；配置：内置演示配置$/),
      firstIndex(lines, /^数据：28 名客服，数据到 \d{4}-\d{2}-\d{2}，\d+ 份考核结果$/),
      // Imported, or already there when the demo load reached the pull's days (the time of day decides).
      firstIndex(
        lines,
        /^拉取（daily-pull）demo \d{4}-\d{2}-\d{2}：(导入 \d+ 条客服日数据|已导入过，没有变化)$/,
      ),
      // Two daily digests; on a Monday the two weekly ones too.
      firstIndex(lines, /^━━ 昨天的日报（[24] 条消息）━━$/),
      firstIndex(lines, /^── # \S+ ──$/),
      lastIndex(lines, /^── # \S+ ──$/),
      nudges,
      // From 10:00 on a Monday the 质检 cards come first, under their own heading, to people too.
      nudges + 1 + firstIndex(lines.slice(nudges + 1), /^── @ \S+ ──$/),
      lastIndex(lines, /^── @ \S+ ──$/),
    ];
    expect(
      story.every((index) => index >= 0),
      story.join(", "),
    ).toBe(true);
    expect(story).toEqual([...story].sort((a, b) => a - b));
    expect(lines.at(-1)).toBe("发件箱：到期的消息都已发出");
  }, 120_000);

  it("shows the log as human lines with --verbose", async () => {
    const lines = await onTerminal(["start", "--once", "--verbose"], join(dir, "b"), {});
    expect(jsonLines(lines)).toEqual([]);
    const started = firstIndex(lines, /^\[\d{2}:\d{2}:\d{2}\] INFO: daily-pull: slot-started /);
    expect(started).toBeGreaterThan(firstIndex(lines, /^kpi-bot: database pglite/));
    expect(started).toBeLessThan(firstIndex(lines, /^━━ yesterday's digests \([24] messages\) ━━$/));
    expect(lines.at(-1)).toBe("outbox: every message due has been sent");
  }, 120_000);
});
