import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { embeddedEnv, runKpi } from "../support/kpi-process.ts";

/**
 * A month of a Chitu export whose conversion comes only as a rate (询单->最终付款转化率 without
 * 询单人数), as many shops export it: stored with a warning, and every card of the month scored,
 * conversion on it not combinable and the rest exact. `--strict` refuses it before storing.
 */

const dir = mkdtempSync(join(tmpdir(), "kpi-finished-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NAMES = ["小张", "小李", "小王", "小赵"];

writeFileSync(
  join(dir, "kpi.config.yaml"),
  [
    "shops: [{ id: flagship, name: 赤兔名品旗舰店, platform: taobao }]",
    "teams: [{ id: t1, shop: flagship, name: 售前组 }]",
    "agents:",
    ...NAMES.map(
      (n, i) =>
        `  - { id: a${i}, name: ${n}, role: presales, team: t1, accounts: [{ shop: flagship, account: "${n}" }] }`,
    ),
    "sources:",
    "  - { id: chitu-approx, kind: chitu, shop: flagship, path: unused.csv, approximate: { 咨询转化率: 接待人数 } }",
  ].join("\n"),
);

/** November 2026, every agent every day: receptions, ratings and times exact; conversion a rate only. */
function monthFile(): string {
  const header =
    "客服昵称,日期,接待人数,询单->最终付款转化率,首次响应(秒),回复率," +
    "服务满意度评价很满意,服务满意度评价满意,服务满意度评价一般,服务满意度评价不满,服务满意度评价很不满";
  const rows: string[] = [];
  for (let day = 1; day <= 30; day++)
    NAMES.forEach((name, i) => {
      const date = `2026-11-${String(day).padStart(2, "0")}`;
      rows.push(
        `${name},${date},${100 + i * 10 + day},${10 + ((day + i) % 15)}.50%,${20 + i},99.00%,${8 + i},2,1,0,0`,
      );
    });
  const path = join(dir, "chitu-2026-11.csv");
  writeFileSync(path, `${header}\n${rows.join("\n")}\n`);
  return path;
}

const kpi = (...args: string[]) => runKpi(args, { cwd: dir, env: embeddedEnv() });

interface JsonCard {
  agent: string;
  items: { metric: string; status: string; actual: number | null; needs?: string[]; approx?: string }[];
}

describe("a Chitu month with conversion as a rate only", () => {
  const file = monthFile();

  it("--strict refuses it before storing anything", async () => {
    const { code, stderr } = await kpi("import", file, "--shop", "flagship", "--strict");
    expect(code).toBe(2);
    expect(stderr).toMatch(/--strict: gives conversion_rate only as finished figures.*nothing was stored/);
    const check = await kpi("score", "--period", "2026-11", "--format", "json");
    expect(JSON.parse(check.stdout)).toEqual([]);
  }, 60_000);

  it("imports with a warning first, exit 0, and every monthly card shows conversion not combinable", async () => {
    const imported = await kpi("import", file, "--shop", "flagship");
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(
      /warning: 咨询转化率 \(conversion_rate\) comes only as a finished figure: day cards score it, weekly and monthly cards show it as not combinable.*add 询单人数 to the export/,
    );
    expect(imported.stdout).toMatch(
      /chitu export, 120 agent-days imported \(import #\d+\); \d+ periods scored/,
    );

    const month = await kpi("score", "--period", "2026-11", "--format", "json");
    expect(month.code).toBe(0);
    const cards = JSON.parse(month.stdout) as JsonCard[];
    expect(cards.map((c) => c.agent).sort()).toEqual(["a0", "a1", "a2", "a3"]);
    for (const card of cards) {
      const byMetric = new Map(card.items.map((i) => [i.metric, i]));
      expect(byMetric.get("conversion_rate")).toMatchObject({
        status: "not-combinable",
        actual: null,
        needs: ["询单人数"],
      });
      for (const metric of ["first_response_time", "receptions", "csat_rate"])
        expect(byMetric.get(metric)?.status).toBe("scored");
    }

    const one = await kpi("score", "--period", "2026-11", "--agent", "a0");
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/│ conversion rate\s+│\s+≥15%\s+│\s+not combinable │\s+— │/);
    expect(one.stdout).toContain("conversion rate not combinable: the export lacks 询单人数");
    const { KPI_LANG: _, ...chinese } = embeddedEnv();
    const zh = await runKpi(["score", "--period", "2026-11", "--agent", "a0"], { cwd: dir, env: chinese });
    expect(zh.stdout).toContain("咨询转化率 不可汇总：导出缺少 询单人数");

    const day = await kpi("score", "--date", "2026-11-02", "--format", "json");
    const dayCards = JSON.parse(day.stdout) as JsonCard[];
    const conversion = dayCards[0]!.items.find((i) => i.metric === "conversion_rate");
    expect(conversion?.status).toBe("scored");
  }, 120_000);

  it("with the source's stand-in count, the month adds conversion up over 接待人数, marked ≈", async () => {
    // The same rows under another name (a file's bytes decide "already imported").
    const again = join(dir, "chitu-2026-11-b.csv");
    writeFileSync(again, `${readFileSync(file, "utf8")}\n`);
    const imported = await kpi("import", again, "--source", "chitu-approx");
    expect(imported.code).toBe(0);
    expect(imported.stderr).not.toContain("warning:");
    const month = await kpi("score", "--period", "2026-11", "--format", "json");
    const cards = JSON.parse(month.stdout) as JsonCard[];
    for (const card of cards) {
      const conversion = card.items.find((i) => i.metric === "conversion_rate");
      expect(conversion).toMatchObject({ status: "scored", approx: "接待人数" });
    }
    const one = await kpi("score", "--period", "2026-11", "--agent", "a0");
    expect(one.stdout).toMatch(/≈\d/);
    expect(one.stdout).toContain("≈ conversion rate weighed by 接待人数");
  }, 120_000);
});
