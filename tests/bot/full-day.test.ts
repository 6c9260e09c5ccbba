import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { asc } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { type Bot, startBot } from "../../src/bot/bot-process.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { renderConsole } from "../../src/chat/console/render.ts";
import type { Reply } from "../../src/chat/reply.ts";
import { parseConfig } from "../../src/config.ts";
import { silentLog } from "../../src/log.ts";
import type { Store } from "../../src/store/database.ts";
import { outbox } from "../../src/store/schema.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * One day of the bot on a clock the test moves: the 08:00 pull brings Monday's figures and facts,
 * the agents' nudges are queued for when each may be disturbed, the 09:00 digest reaches the
 * team's channel on the fake Slack, the bad review's reminder goes with four hours left and the
 * supervisor hears when its deadline passes. The clock decides what is queued and when it is
 * due; delivery runs on the real clock, on which all of this lies in the past, so whatever is
 * queued is sent at once (holding until a due time is tested in tests/delivery).
 */

const MONDAY = "2026-11-16";
/** Shanghai wall-clock time as an instant. */
const at = (local: string) => new Date(`${local.replace(" ", "T")}:00+08:00`);

/** The stats service: ordinary days for everyone; on Monday zhang is slow and gets a bad review, li a 2-star rating. */
function statsBody(day: string) {
  const ordinary = {
    conversion_rate: { num: 40, den: 200 },
    first_response_time: { num: 4000, den: 200 },
    csat_rate: { num: 190, den: 200 },
    receptions: 200,
  };
  const monday = day === MONDAY;
  return {
    day,
    records: [
      {
        agent: "小张",
        values: monday ? { ...ordinary, first_response_time: { num: 9000, den: 200 } } : ordinary,
      },
      { agent: "小李", values: ordinary },
    ],
    facts: monday
      ? [
          {
            kind: "bad_review",
            agent: "小张",
            at: `${MONDAY}T20:00:00+08:00`,
            ref: "31000001",
            detail: {
              order: "31000001",
              customer: "t**3",
              text: "色差太大",
              followUpBy: "2026-11-17T20:00:00+08:00",
            },
          },
          {
            kind: "long_wait",
            agent: "小张",
            at: `${MONDAY}T10:15:00+08:00`,
            ref: "S1",
            detail: { session: "S1", customer: "a**1", waitSeconds: 420, endedBy: "reply" },
          },
          {
            kind: "low_rating",
            agent: "小李",
            at: `${MONDAY}T15:30:00+08:00`,
            ref: "S2",
            detail: { session: "S2", score: 2 },
          },
        ]
      : [],
  };
}

async function startStats(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const day = /\/kpi\/(\d{4}-\d{2}-\d{2})/.exec(req.url ?? "")?.[1] ?? "";
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(statsBody(day)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/kpi/{date}`, server };
}

const config = (statsUrl: string, slackUrl: string) => `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组, channels: { slack: C_T1 } }]
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, supervisor: boss, shift: { start: "09:00", end: "18:00" }, accounts: [{ shop: s1, account: 小张 }], chat: { slack: U_ZHANG } }
  - { id: li, name: 小李, role: presales, team: t1, supervisor: boss, shift: { start: "14:00", end: "23:00" }, accounts: [{ shop: s1, account: 小李 }], chat: { slack: U_LI } }
  - { id: boss, name: 王主管, role: supervisor, team: t1, chat: { slack: U_BOSS } }
sources: [{ id: stats, kind: http, shop: s1, url: "${statsUrl}" }]
schedules: [{ id: morning-pull, cron: "0 8 * * *", timeZone: Asia/Shanghai }]
chat: { slack: { mode: http, apiUrl: "${slackUrl}" } }
`;

describe.each(STORE_KINDS)("a day of the bot (%s)", (kind) => {
  let store: Store;
  let slack: FakeSlack;
  let stats: { url: string; server: Server };
  let bot: Bot | undefined;
  afterEach(async () => {
    await bot?.stop();
    await slack?.close();
    stats?.server.close();
    await store?.close();
  });

  it("pulls, nudges when each may be disturbed, posts the digest, reminds and escalates at the deadline", async () => {
    store = await openTestStore(kind);
    slack = await startFakeSlack();
    stats = await startStats();
    const loaded = {
      config: parseConfig(config(stats.url, slack.apiUrl), "test"),
      origin: "test",
      baseDir: ".",
    };
    let clock = at("2026-11-17 07:00");
    await syncConfig(store.db, loaded, clock);
    bot = await startBot({
      store,
      loaded,
      env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: "secret" },
      now: () => clock,
      log: silentLog,
      tell: () => {},
      write: () => {},
      inbound: false,
      delivery: { pollingIntervalSeconds: 0.5 },
      schedulerLog: () => {},
    });
    // Start-up: the last pull missed (Sunday's figures); ordinary days, nothing to say.
    await bot.caughtUp;
    const queued = async () => {
      const rows = await store.db.select().from(outbox).orderBy(asc(outbox.id));
      return rows.map((r) => ({ ...r, text: renderConsole(r.reply as Reply) }));
    };
    expect(await queued()).toEqual([]);

    // 08:05: the 08:00 pull brings Monday. One message each, held for when they may be disturbed.
    clock = at("2026-11-17 08:05");
    await bot.scheduler.catchUp();
    let rows = await queued();
    const zhang = rows.find((r) => r.key.includes("U_ZHANG"));
    const li = rows.find((r) => r.key.includes("U_LI"));
    expect(rows).toHaveLength(2);
    // The bad review cannot wait for zhang's 09:00 shift, only for quiet hours to end at 08:30.
    expect(zhang!.dueAt).toEqual(at("2026-11-17 08:30"));
    expect(zhang!.text).toContain("色差太大");
    expect(zhang!.text).toMatch(/首次响应时间 45 s/);
    expect(zhang!.text).toContain("S1");
    // A low rating can wait for li's 14:00 shift.
    expect(li!.dueAt).toEqual(at("2026-11-17 14:00"));
    expect(li!.text).toMatch(/评价低于 4/);

    // 09:01: the daily digest of Monday reaches the team's channel, once.
    clock = at("2026-11-17 09:01");
    await bot.scheduler.catchUp();
    await bot.scheduler.catchUp();
    await bot.drained(30_000);
    const digests = slack.messages.filter((m) => m.channel === "C_T1");
    expect(digests).toHaveLength(1);
    expect(JSON.stringify(digests[0])).toContain(`售前一组 · 日报 · ${MONDAY}`);
    expect(
      slack.messages.filter((m) => JSON.stringify(m).includes("色差太大")).length,
    ).toBeGreaterThanOrEqual(1);

    // 16:05: four hours left and nothing recorded: a reminder.
    clock = at("2026-11-17 16:05");
    await bot.scheduler.catchUp();
    rows = await queued();
    const reminder = rows.find((r) => r.key.startsWith("reminder:"));
    expect(reminder?.key).toContain("U_ZHANG");
    expect(rows.filter((r) => r.key.startsWith("escalation:"))).toEqual([]);

    // 20:05: past the deadline: the supervisor is told, once however often the watch looks.
    clock = at("2026-11-17 20:05");
    await bot.scheduler.catchUp();
    clock = at("2026-11-17 20:10");
    await bot.scheduler.catchUp();
    rows = await queued();
    const escalations = rows.filter((r) => r.key.startsWith("escalation:"));
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.key).toContain("U_BOSS");
    expect(escalations[0]!.text).toContain("小张");
    await bot.drained(30_000);
    const keys = (await queued()).map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect((await queued()).every((r) => r.status === "sent")).toBe(true);
  }, 180_000);
});
