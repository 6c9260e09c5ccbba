import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerCommand } from "../../src/bot/commands/run-command.ts";
import { main } from "../../src/cli/main.ts";
import { parsePeriod } from "../../src/engine/index.ts";
import { sendQaBatch } from "../../src/qa/qa-batch.ts";
import { openStore } from "../../src/store/database.ts";
import { qaReviews } from "../../src/store/schema.ts";
import { QA_CONFIG, QA_NOW, seedQaShop } from "../qa/qa-fixture.ts";
import { freshPostgresDatabase, STORE_KINDS } from "../support/stores.ts";

/**
 * `kpi qa`, the 质检报告, on a store seeded with a week's batch (2026-W48) of 小张 and 小李,
 * three of 小张's reviews rated by 王主管: each format, the xlsx read back, and wrong flags.
 */

describe.each(STORE_KINDS)("kpi qa on %s", (kind) => {
  const dir = mkdtempSync(join(tmpdir(), "kpi-qa-report-"));
  const config = join(dir, "kpi.config.yaml");
  writeFileSync(config, `${QA_CONFIG}\ndataDir: ./data\n`);
  let database: { url: string; drop(): Promise<void> } | undefined;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, KPI_LANG: process.env.KPI_LANG };

  beforeAll(async () => {
    if (kind === "postgres") {
      database = await freshPostgresDatabase();
      process.env.DATABASE_URL = database.url;
    } else delete process.env.DATABASE_URL;
    delete process.env.KPI_LANG;
    const store = await openStore(database ? { databaseUrl: database.url } : { dataDir: join(dir, "data") });
    try {
      const parsed = await seedQaShop(store);
      await sendQaBatch(
        { db: store.db, config: parsed, platforms: ["console"] },
        parsePeriod("2026-W48"),
        QA_NOW,
      );
      const zhang = (await store.db.select().from(qaReviews)).filter((r) => r.agentId === "zhang");
      const deps = {
        db: store.db,
        now: () => QA_NOW,
        teams: new Map(),
        admins: new Set<string>(),
        defaultLang: "en" as const,
        qaRubric: parsed.qa.rubric,
      };
      const rate = (id: number, words: string) =>
        answerCommand(deps, { platform: "console", userId: "boss" }, `qa rate ${id} ${words}`);
      await rate(zhang[0]!.conversationId, "完整=否 话术=是 态度=3 解决=是 漏答了尺码");
      await rate(zhang[1]!.conversationId, "完整=是 话术=是 态度=5 解决=是");
      await rate(zhang[2]!.conversationId, "完整=是 话术=否 态度=4 解决=否");
    } finally {
      await store.close();
    }
  }, 120_000);
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved))
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function kpi(...args: string[]) {
    const out = { stdout: "", stderr: "" };
    const code = await main(["qa", "--config", config, ...args], {
      stdout: (text) => {
        out.stdout += `${text}\n`;
      },
      stderr: (text) => {
        out.stderr += `${text}\n`;
      },
    });
    return { code, ...out };
  }

  it("prints the report per agent and team, with pass rates, the attitude mean, the QA score and the notes", async () => {
    // Monday 2026-11-30 is not today: the period is named.
    const { code, stdout, stderr } = await kpi("--period", "2026-W48");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("质检报告 2026-11-23 ~ 2026-11-29");
    // 小张: 5 sampled, 3 rated; 完整回复 2 of 3, 话术 2 of 3, 态度 (3+5+4)/3 = 4, 解决 2 of 3.
    expect(stdout).toMatch(
      /客服\s*│\s*zhang\s*│\s*小张\s*│\s*售前一组\s*│\s*5\s*│\s*3\s*│\s*\d\s*│\s*\d\s*│\s*66\.7\s*│\s*66\.7\s*│\s*4\s*│\s*66\.7/,
    );
    expect(stdout).toMatch(/客服\s*│\s*li\s*│\s*小李\s*│\s*售前一组\s*│\s*5\s*│\s*0\s*│/);
    expect(stdout).toMatch(/小组\s*│\s*t1\s*│\s*售前一组\s*│\s*│\s*10\s*│\s*3\s*│/);
    expect(stdout).toContain("漏答了尺码");
  });

  it("gives JSON and CSV in English, and filters by agent and team", async () => {
    const json = await kpi("--period", "2026-W48", "--format", "json", "--agent", "小张");
    const report = JSON.parse(json.stdout);
    expect(report.agents).toHaveLength(1);
    expect(report.agents[0]).toMatchObject({
      id: "zhang",
      sampled: 5,
      rated: 3,
      criteria: { complete: 66.7, script: 66.7, attitude: 4, solved: 66.7 },
    });
    // Overdue: the batch of Monday 30 November was due 3 December; that is long past.
    expect(report.agents[0].pending + report.agents[0].overdue).toBe(2);
    expect(report.notes).toEqual([expect.objectContaining({ agentId: "zhang", note: "漏答了尺码" })]);
    const csv = await kpi("--period", "2026-W48", "--format", "csv", "--lang", "en", "--team", "t1");
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toBe(
      "kind,id,name,team,sampled,rated,pending,overdue,complete reply pass %,script pass %,attitude mean,solved pass %,QA score,notes",
    );
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^team,t1,售前一组,,10,3,/);
    const nobody = await kpi("--period", "2026-W48", "--team", "no-such-team", "--lang", "en");
    expect(nobody.stdout).toContain("No conversations were sampled for review in this period");
  });

  it("exports an xlsx workbook that reads back, and a CSV file", async () => {
    const xlsx = join(dir, "qa.xlsx");
    const exported = await kpi("--period", "2026-W48", "--export", xlsx);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe("");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["客服", "小组", "备注"]);
    const agents = workbook.getWorksheet("客服")!;
    expect(agents.getRow(1).getCell(2).value).toBe("编号");
    const zhang = [2, 3].map((r) => agents.getRow(r)).find((r) => r.getCell(2).value === "zhang")!;
    expect(zhang.getCell(5).value).toBe(5);
    expect(zhang.getCell(9).value).toBe(66.7);
    expect(workbook.getWorksheet("备注")!.getRow(2).getCell(5).value).toBe("漏答了尺码");
    const csv = join(dir, "qa.csv");
    expect((await kpi("--period", "2026-W48", "--export", csv)).code).toBe(0);
    expect(readFileSync(csv, "utf8")).toMatch(/^\uFEFF类型,编号,姓名/);
  });

  it("answers wrong flags with the usage", async () => {
    const flag = await kpi("--formt", "csv");
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/no such flag: did you mean --format\?[\s\S]*usage: kpi qa/);
    const format = await kpi("--format", "xml");
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('"xml" is not one of table, csv, json');
    const period = await kpi("--period", "fortnight-ago");
    expect(period.code).toBe(2);
    expect(period.stderr).toContain('"fortnight-ago" is not a period');
    const file = await kpi("--export", join(dir, "qa.pdf"));
    expect(file.code).toBe(2);
    expect(file.stderr).toContain("is neither a .xlsx nor a .csv file");
  });
});
