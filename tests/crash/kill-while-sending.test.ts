import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, rowsOf } from "../../src/store/database.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { freshPostgresDatabase, STORE_KINDS, type StoreKind } from "../support/stores.ts";
import { type CrashWorkspace, crashClock, crashWorkspace, FIXTURES } from "./crash-workspace.ts";
import { type KpiRunOptions, runKpiChild } from "./kpi-child.ts";

/**
 * `kill -9` of `kpi start --once` while a digest is on its way to Slack (posted, the answer not
 * back yet), then `kpi start --once` again, as an operator (or a cron job) runs it: every digest
 * goes out, and the one in flight exactly once. The random-kill test lands in this window now and
 * then (the console's sends take milliseconds); here a hung post holds it open.
 */

const config = (slackUrl: string) => `
shops: [{ id: flagship, name: 赤兔名品旗舰店, platform: taobao }]
teams:
  - { id: t1, shop: flagship, name: 售前一组, channels: { slack: C_T1 } }
  - { id: t2, shop: flagship, name: 售前二组, channels: { slack: C_T2 } }
agents:
  - { id: t0, name: 小张, role: presales, team: t1, accounts: [{ shop: flagship, account: "小张" }] }
  - { id: t1, name: 小李, role: presales, team: t1, accounts: [{ shop: flagship, account: "小李" }] }
  - { id: t2, name: 小王, role: presales, team: t2, accounts: [{ shop: flagship, account: "小王" }] }
  - { id: t3, name: 小赵, role: presales, team: t2, accounts: [{ shop: flagship, account: "小赵" }] }
  - { id: t4, name: 小陈, role: presales, team: t2, accounts: [{ shop: flagship, account: "小陈" }] }
chat: { slack: { mode: http, apiUrl: "${slackUrl}" } }
`;

const fakes: FakeSlack[] = [];
const workspaces: CrashWorkspace[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
  for (const workspace of workspaces.splice(0)) await workspace.remove();
});

/** A workspace of its own with its own fake Slack, and `kpi` run there on the crash clock. */
async function slackWorkspace(kind: StoreKind) {
  const slack = await startFakeSlack();
  fakes.push(slack);
  const workspace = crashWorkspace(
    kind === "postgres" ? await freshPostgresDatabase() : undefined,
    config(slack.apiUrl),
  );
  workspaces.push(workspace);
  let clock = crashClock().getTime();
  const kpi = async (args: string[], killWhen?: KpiRunOptions["killWhen"]) => {
    const run = await runKpiChild(args, {
      cwd: workspace.dir,
      env: {
        ...workspace.env,
        KPI_CRASH_CLOCK: new Date(clock).toISOString(),
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: "secret",
      },
      ...(killWhen ? { killWhen } : {}),
    });
    clock += Math.ceil(run.ms) + 1000;
    return run;
  };
  const outbox = async () => {
    const store = await openStore(workspace.store);
    try {
      return rowsOf<{ key: string; status: string }>(
        await store.db.execute(sql`SELECT key, status FROM outbox ORDER BY key`),
      );
    } finally {
      await store.close();
    }
  };
  const importExport = () => kpi(["import", join(FIXTURES, "chitu-gbk.csv"), "--shop", "flagship"]);
  return { slack, kpi, outbox, importExport };
}

describe.each(STORE_KINDS)("kpi start --once killed while Slack holds a digest, on %s", (kind) => {
  it("sends every digest on the next start --once, the one in flight once", async () => {
    const unkilled = await slackWorkspace(kind);
    expect((await unkilled.importExport()).code).toBe(0);
    expect((await unkilled.kpi(["start", "--once"])).code).toBe(0);
    const expected = await unkilled.outbox();
    expect(expected.filter((r) => r.key.startsWith("digest:")).length).toBeGreaterThanOrEqual(3);

    const { slack, kpi, outbox, importExport } = await slackWorkspace(kind);
    expect((await importExport()).code).toBe(0);
    // The first post reaches Slack and is kept there, its answer never sent: killed meanwhile.
    slack.failNext("chat.postMessage", { hang: "processed" });
    const killed = await kpi(["start", "--once"], async (child) => {
      while (slack.callsTo("chat.postMessage").length === 0) {
        if (child.exited()) return false;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return true;
    });
    expect(killed.killed).toBe(true);
    expect((await outbox()).some((r) => r.status === "sending")).toBe(true);

    const again = await kpi(["start", "--once"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("outbox: every message due has been sent");
    const rows = await outbox();
    expect(rows.map((r) => r.key)).toEqual(expected.map((r) => r.key));
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    // One message in Slack per digest: the one posted before the kill was found, not posted again.
    const posted = slack.messages.flatMap((m) => (m.metadata ? [String(m.metadata.event_payload.key)] : []));
    expect(posted.sort()).toEqual(rows.map((r) => r.key));
  }, 180_000);
});
