import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scorePeriod } from "../../src/bot/score-period.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { renderConsole } from "../../src/chat/console/render.ts";
import type { Reply } from "../../src/chat/reply.ts";
import { type Config, parseConfig } from "../../src/config.ts";
import { digestPeriod } from "../../src/digest/digest-period.ts";
import {
  type DigestDeps,
  digestPublished,
  digestTeams,
  publishDigest,
} from "../../src/digest/publish-digest.ts";
import { parsePeriod } from "../../src/engine/index.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { digestSnapshots, outbox } from "../../src/store/schema.ts";
import { workedExample } from "../helpers.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

const CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组, channels: { slack: C_T1 } }]
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: "旗舰店:小张" }], chat: { slack: U_ZHANG } }
  - { id: li, name: 小李, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: "旗舰店:小李" }], chat: { slack: U_LI } }
  - { id: boss, name: 王主管, role: supervisor, team: t1, chat: { slack: U_BOSS } }
schemes:
  presales: [{ scheme: seed-example }]
  supervisor: [{ scheme: supervisor }]
`;

/** 09:00 in Shanghai on the day given. */
const morningOf = (day: string) => new Date(`${day}T01:00:00Z`);

/** The worked example's rates as counts out of 1,000, so the team rolls up exactly. */
const exact = Object.fromEntries(
  Object.entries(workedExample).map(([id, v]) => [
    id,
    v.finished ? { num: Math.round(v.num * 1000), den: 1000 } : v,
  ]),
);

async function importDay(store: Store, day: string, liConversion: number, hash = day): Promise<void> {
  await importBatch(
    store.db,
    {
      source: "generic",
      records: [
        { line: 2, agent: "旗舰店:小张", values: exact, pending: [] },
        {
          line: 3,
          agent: "旗舰店:小李",
          values: { ...exact, conversion_rate: { num: liConversion, den: 1000 } },
          pending: [],
        },
      ],
      facts: [],
      problems: [],
    },
    {
      fileHash: hash,
      shopId: "s1",
      day,
      unknownAgents: "reject",
      defaultRole: "presales",
      actor: "t",
      now: morningOf(day),
    },
  );
  for (const key of [day, "2026-W47", "2026-11"])
    await scorePeriod(store.db, parsePeriod(key), { actor: "t", now: morningOf(day) });
}

describe.each(STORE_KINDS)("team digests (%s)", (kind) => {
  let store: Store;
  let config: Config;
  let clock: Date;
  const deps = (platforms: DigestDeps["platforms"] = ["slack"]): DigestDeps => ({
    db: store.db,
    config,
    platforms,
    now: () => clock,
  });
  const publish = async (
    digest: "daily" | "weekly" | "monthly",
    overrides?: Partial<Config["teams"][number]>,
  ) => {
    if (overrides) config = { ...config, teams: config.teams.map((t) => ({ ...t, ...overrides })) };
    const [team] = await digestTeams(store.db, config);
    return publishDigest(deps(), team!, digest, digestPeriod(digest, clock, team!.timeZone));
  };
  const sent = async (): Promise<{ key: string; text: string; reply: Reply }[]> => {
    const rows = await store.db.select().from(outbox).orderBy(outbox.id);
    return rows.map((r) => ({ key: r.key, reply: r.reply as Reply, text: renderConsole(r.reply as Reply) }));
  };

  beforeEach(async () => {
    store = await openTestStore(kind);
    config = parseConfig(CONFIG, "test");
    clock = morningOf("2026-11-21");
    await syncConfig(store.db, { config, origin: "test", baseDir: "." }, clock);
    await importDay(store, "2026-11-20", 120);
  });
  afterEach(() => store.close());

  it("posts yesterday's watched metrics and follow-ups to the team's channel, once, with no grades", async () => {
    expect(await publish("daily")).toEqual({ status: "queued", messages: 1, revisions: 0 });
    const [message] = await sent();
    expect(message!.key).toBe("digest:daily:t1:2026-11-20:slack:channel:C_T1");
    expect(message!.reply.title).toBe("售前一组 · 日报 · 2026-11-20");
    const text = message!.text;
    // A day is watched, not graded [002]: seed 002's daily metrics the scheme has a target for.
    // Both agents answered first in 25 s (≤30 s) and received 180 a day (≥200): both short there.
    expect(text).toContain("绩效按月考核");
    expect(text).toMatch(/首次响应时间\s+│\s+≤30 s\s+│\s+25 s\s+│ 全部达标/);
    expect(text).toMatch(/日均接待量\s+│\s+≥200\s+│\s+180\s+│ 小张 180、小李 180/);
    expect(text).not.toMatch(/排行榜|等级分布|│ B /);
    expect(text).toContain("没有待跟进的差评");
    expect(await publish("daily")).toEqual({ status: "already-published" });
    expect(await sent()).toHaveLength(1);
  });

  it("knows a team's digest of a period is published, channel or supervisors' table", async () => {
    const [team] = await digestTeams(store.db, config);
    const day = digestPeriod("daily", clock, team!.timeZone);
    expect(await digestPublished(store.db, team!, "daily", day)).toBe(false);
    await publish("daily");
    expect(await digestPublished(store.db, team!, "daily", day)).toBe(true);
    expect(
      await digestPublished(store.db, team!, "weekly", digestPeriod("weekly", clock, team!.timeZone)),
    ).toBe(false);
    // With no channel on the platforms, the month goes to the supervisor alone, as a table.
    clock = morningOf("2026-12-01");
    const month = digestPeriod("monthly", clock, team!.timeZone);
    expect(await digestPublished(store.db, team!, "monthly", month)).toBe(false);
    await publish("monthly", { channels: {} });
    expect((await sent()).map((m) => m.key)).toContainEqual(
      expect.stringMatching(/^digest-table:monthly:t1:/),
    );
    expect(await digestPublished(store.db, team!, "monthly", month)).toBe(true);
  });

  it("says so when a later import revises a published month, and only once", async () => {
    clock = morningOf("2026-12-01");
    await publish("monthly");
    // The 20th's corrected export: li's conversion was 18%, not 12%; November's card moves.
    await importDay(store, "2026-11-20", 180, "corrected");
    clock = morningOf("2026-12-02");
    const outcome = await publish("daily");
    expect(outcome).toMatchObject({ status: "queued", revisions: 1 });
    // The month's channel digest and the supervisor's table went first.
    const second = (await sent())[2]!.text;
    expect(second).toMatch(/更正\*?\n小李 2026-11 90\.6→94\.6（咨询转化率 12%→18%）/);
    clock = morningOf("2026-12-03");
    await publish("daily");
    expect((await sent())[3]!.text).not.toContain("更正");
  });

  it("shows places without names on an anonymous leaderboard, and no names elsewhere", async () => {
    clock = morningOf("2026-12-01");
    await publish("monthly", { leaderboard: "anonymous" });
    const { text } = (await sent())[0]!;
    expect(text).toMatch(/│\s+1 │/);
    expect(text).not.toContain("小张");
    expect(text).not.toContain("小李");
  });

  it("sends the monthly digest with coefficients, and each supervisor the whole table", async () => {
    clock = morningOf("2026-12-01");
    expect(await publish("monthly")).toMatchObject({ status: "queued", messages: 2 });
    const [channel, table] = await sent();
    expect(channel!.reply.title).toBe("售前一组 · 月报 · 2026-11");
    expect(channel!.text).toContain("系数");
    expect(table!.key).toBe("digest-table:monthly:t1:2026-11:slack:user:U_BOSS");
    expect(table!.text).toMatch(/小张 │\s+94\.6 │ B\s+│\s+1\.0 │/);
    const [snapshot] = await store.db
      .select()
      .from(digestSnapshots)
      .where(eq(digestSnapshots.periodKey, "2026-11"));
    expect(snapshot!.cards).toMatchObject({ zhang: { total: 94.6, grade: "B" } });
  });

  it("writes in English for an English team", async () => {
    await publish("daily", { lang: "en" });
    const { reply, text } = (await sent())[0]!;
    expect(reply.title).toBe("售前一组 · daily digest · 2026-11-20");
    expect(text).toContain("Watched metrics");
    clock = morningOf("2026-12-01");
    await publish("monthly", { lang: "en" });
    expect((await sent())[1]!.text).toContain("Leaderboard (2)");
  });

  it("queues nothing for a team without a channel on the bot's platforms", async () => {
    const [team] = await digestTeams(store.db, config);
    const outcome = await publishDigest(
      deps(["feishu"]),
      team!,
      "daily",
      digestPeriod("daily", clock, team!.timeZone),
    );
    expect(outcome).toEqual({ status: "no-recipients" });
    expect(await sent()).toHaveLength(0);
  });
});
