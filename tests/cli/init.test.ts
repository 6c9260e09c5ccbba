import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { initCommand } from "../../src/cli/init.ts";
import type { Output } from "../../src/cli/options.ts";
import { loadConfig } from "../../src/config.ts";
import { ROSTER_HEADER, rosterRows } from "../fixtures/roster/roster-rows.ts";
import { embeddedEnv, runKpi } from "../support/kpi-process.ts";
import { openTestStore } from "../support/stores.ts";

/** `kpi init` as a 客服主管 runs it from a script: flags, a 30-agent roster file, a checked kpi.config.yaml. */

const fixtures = join(import.meta.dirname, "../fixtures/roster");
const dir = mkdtempSync(join(tmpdir(), "kpi-init-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const fresh = () => {
  const sub = join(dir, `w${++n}`);
  return { sub, path: join(sub, "kpi.config.yaml") };
};

function captured(): Output & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

const SHOP = ["--shop", "flagship:云裳服饰旗舰店:taobao"];

describe("kpi init", () => {
  it("writes a configuration of the 30-agent CSV roster that the config loader and the database take", async () => {
    const { mkdirSync } = await import("node:fs");
    const { sub, path } = fresh();
    mkdirSync(sub);
    const args = [
      "init",
      ...SHOP,
      "--team",
      "presales-a:售前一组",
      "--platform",
      "feishu",
      "--roster",
      join(fixtures, "roster-30.csv"),
      "--channel",
      "presales-a=oc_5ad11d72b8",
    ];
    const run = await runKpi(args, { cwd: sub, env: embeddedEnv() });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`wrote ${path}: 1 shop(s), 2 team(s), 30 agents (29 with email or mobile)`);
    expect(run.stdout).toMatch(
      /next:\n {2}1\. kpi setup feishu .*\n {2}2\. kpi roster sync --from feishu .*\n {2}3\. kpi doctor .*\n {2}4\. kpi start/,
    );

    const { config } = await loadConfig(path);
    expect(config.shops).toEqual([
      { id: "flagship", name: "云裳服饰旗舰店", platform: "taobao", timeZone: "Asia/Shanghai" },
    ]);
    expect(config.teams.map((t) => [t.id, t.name, t.channels])).toEqual([
      ["presales-a", "售前一组", { feishu: "oc_5ad11d72b8" }],
      ["team-2", "售后一组", {}],
    ]);
    expect(config.agents).toHaveLength(30);
    const zhang = config.agents.find((a) => a.name === "小张");
    expect(zhang).toMatchObject({
      id: "zhang",
      role: "presales",
      team: "presales-a",
      supervisor: "wang",
      email: "zhang@yunshang.example",
      mobile: "13800138001",
      accounts: [{ shop: "flagship", account: "云裳服饰旗舰店:小张" }],
    });
    expect(config.agents.find((a) => a.name === "小胡")?.role).toBe("trainee");
    expect(config.agents.find((a) => a.name === "林主管")).toMatchObject({
      role: "supervisor",
      team: "team-2",
    });
    expect(config.chat.feishu?.mode).toBe("http");
    expect(config.chatlog?.profiles).toEqual({ flagship: "taobao" });
    expect(config.digests.daily.cron).toBe("0 9 * * *");

    // The database takes it as it is: shops, teams, agents and the built-in schemes of every role.
    const store = await openTestStore("pglite");
    try {
      const outcome = await syncConfig(store.db, await loadConfig(path), new Date("2026-11-01T00:00:00Z"));
      expect(outcome.rosterChanges).toBe(1 + 2 + 30);
      expect(outcome.schemeChanges).toBe(4);
    } finally {
      await store.close();
    }

    // Once written, it is not replaced without --force.
    const again = await runKpi(args, { cwd: sub, env: embeddedEnv() });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exists: pass --force to replace it");
  }, 60_000);

  it("reads the same roster as GBK CSV and as xlsx (mobiles typed as numbers) into the same agents", async () => {
    const configs = [];
    for (const file of ["roster-30.csv", "roster-30-gbk.csv", "roster-30.xlsx"]) {
      const { path } = fresh();
      const { mkdirSync } = await import("node:fs");
      mkdirSync(join(path, ".."), { recursive: true });
      const code = await initCommand(
        [...SHOP, "--platform", "dingtalk", "--roster", join(fixtures, file), "--config", path],
        captured(),
        {},
      );
      expect(code).toBe(0);
      configs.push((await loadConfig(path)).config.agents);
    }
    expect(configs[1]).toEqual(configs[0]);
    expect(configs[2]).toEqual(configs[0]);
  }, 30_000);

  it("names every bad row by row and column, exits 2 and writes nothing", async () => {
    const rows = rosterRows().slice(0, 5);
    rows[1]![5] = "zhang-at-yunshang"; // email
    rows[2]![1] = "客服经理"; // role
    rows[3]![3] = "刘主管"; // supervisor
    rows[4]![6] = "12345"; // mobile
    const { sub, path } = fresh();
    const { mkdirSync } = await import("node:fs");
    mkdirSync(sub);
    const roster = join(sub, "bad.csv");
    writeFileSync(roster, [ROSTER_HEADER, ...rows].map((r) => r.join(",")).join("\n"));
    const run = await runKpi(["init", ...SHOP, "--platform", "slack", "--roster", roster], {
      cwd: sub,
      env: embeddedEnv(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      [
        `kpi init: roster ${roster} is invalid:`,
        '  row 3, column 邮箱: "zhang-at-yunshang" is not an email address',
        '  row 4, column 岗位: "客服经理" is not a role: write 售前, 售后, 主管 or 新人 (presales, aftersales, supervisor, trainee)',
        '  row 5, column 主管: "刘主管" is not an agent of the roster (by name or id)',
        '  row 6, column 手机: "12345" is not a mobile number (11 digits, or + and the country code)',
        "",
      ].join("\n"),
    );
    expect(existsSync(path)).toBe(false);
  }, 30_000);

  it("asks for what is missing only on a terminal: a script gets the flag to pass", async () => {
    const { path } = fresh();
    await expect(initCommand(["--platform", "slack", "--config", path], captured(), {})).rejects.toThrow(
      "--shop: name at least one shop: --shop <id>:<name>:<platform> (taobao, jd, pdd, douyin, other)",
    );
    await expect(
      initCommand([...SHOP, "--platform", "slack", "--config", path], captured(), {}),
    ).rejects.toThrow("--roster: not given (a CSV or xlsx file), and no terminal to ask on");
    await expect(
      initCommand(["--shop", "flagship:云裳:tmall", "--config", path], captured(), {}),
    ).rejects.toThrow('--shop: "tmall" is not one of taobao, jd, pdd, douyin, other');
    const roster = join(dir, "no-team.csv");
    writeFileSync(roster, "姓名,岗位\n小张,售前\n");
    await expect(
      initCommand([...SHOP, "--platform", "slack", "--roster", roster, "--config", path], captured(), {}),
    ).rejects.toThrow(/has no column team \(组\/小组\) in its first row/);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(roster, "utf8")).toContain("小张");
  });
});
