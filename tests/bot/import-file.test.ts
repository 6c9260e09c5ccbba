import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { importExportFile } from "../../src/bot/import-file.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { type Config, parseConfig } from "../../src/config.ts";
import { agentDaysBetween } from "../../src/store/agent-day-repo.ts";
import type { Store } from "../../src/store/database.ts";
import { importRuns } from "../../src/store/schema.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/** A 500-agent Chitu day with three bad rows: nothing of it is stored, and exactly those are named. */

const dir = mkdtempSync(join(tmpdir(), "kpi-import-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function chituDay(bad: Record<number, string>): string {
  const lines = ["客服昵称,日期,接待人数,平均响应(秒),回复率"];
  for (let i = 1; i <= 500; i++) {
    lines.push(bad[i + 1] ?? `客服${i},2026-11-22,${40 + (i % 50)},${10 + (i % 30)},${95 + (i % 5)}.00%`);
  }
  return `${lines.join("\n")}\n`;
}

const CONFIG = `
shops: [{ id: s1, name: 店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 组 }]
agents:
${Array.from({ length: 500 }, (_, i) => `  - { id: a${i + 1}, name: 客服${i + 1}, role: presales, team: t1, accounts: [{ shop: s1, account: 客服${i + 1} }] }`).join("\n")}
`;
const NOW = new Date("2026-11-23T01:00:00Z");

describe.each(STORE_KINDS)("importing a 500-row export into %s", (kind) => {
  let store: Store;
  let config: Config;
  beforeEach(async () => {
    store = await openTestStore(kind);
    config = parseConfig(CONFIG, "test");
    await syncConfig(store.db, { config, origin: "test", baseDir: "." }, NOW);
  }, 60_000);
  afterEach(() => store.close());

  const request = (path: string) => ({ path, shopId: "s1", config, actor: "test", now: NOW });

  it("imports nothing of a file with 3 bad rows and reports exactly those 3", async () => {
    const path = join(dir, `bad-${kind}.csv`);
    writeFileSync(
      path,
      chituDay({
        14: "客服13,2026-11-22,53,abc,98.00%",
        200: "客服199,2026-11-22,89,29,101%",
        377: "客服376,2026-11-22,12.5,16,96.00%",
      }),
    );
    const { outcome } = await importExportFile(store.db, request(path));
    expect(outcome.status).toBe("rejected");
    expect(outcome.status === "rejected" && outcome.problems).toEqual([
      { line: 14, column: "平均响应(秒)", value: "abc", reason: "is not a duration" },
      { line: 200, column: "回复率", value: "101%", reason: "is more than 100%" },
      { line: 377, column: "接待人数", value: "12.5", reason: "is not a count" },
    ]);
    expect(await agentDaysBetween(store.db, "2026-11-22", "2026-11-22")).toEqual([]);
    const [run] = await store.db.select().from(importRuns);
    expect(run).toMatchObject({ status: "rejected", problemCount: 3, recordCount: 0 });

    const fixed = join(dir, `fixed-${kind}.csv`);
    writeFileSync(fixed, chituDay({}));
    const second = await importExportFile(store.db, request(fixed));
    expect(second.outcome).toMatchObject({ status: "done", records: 500 });
    const days = await agentDaysBetween(store.db, "2026-11-22", "2026-11-22");
    expect(days).toHaveLength(500);
    // 客服13: 40 + 13 receptions, reply rate 98% of them → 51.94, which is 52 replies of 53.
    expect(days.find((d) => d.agentId === "a13")?.values.reply_rate).toEqual({ num: 52, den: 53 });
    // The day, its week, its fortnight (graded for new hires on probation only) and its month.
    expect(second.scored.map((s) => s.period.key)).toEqual([
      "2026-11-22",
      "2026-W47",
      "2026-11-09~2026-11-22",
      "2026-11",
    ]);
  });
});
