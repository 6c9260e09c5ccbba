import { like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { botJobs } from "../../../src/bot/bot-jobs.ts";
import type { BotNews } from "../../../src/bot/bot-news.ts";
import { botSchedules } from "../../../src/bot/bot-schedules.ts";
import { parseConfig } from "../../../src/config.ts";
import { silentLog } from "../../../src/log.ts";
import type { Db } from "../../../src/store/database.ts";
import { outbox } from "../../../src/store/schema.ts";
import { CHAT_FIXTURE_CONFIG, useChatFixture } from "../../support/chat-fixture.ts";
import { STORE_KINDS } from "../../support/stores.ts";

const RATED_CONFIG = `${CHAT_FIXTURE_CONFIG.replace(
  "presales: [{ scheme: seed-example }]",
  "presales: [{ scheme: presales-rated }]",
)}
admins: ["slack:U_ROOT"]
`;

/** 10:00 in Shanghai on a day of December 2026 (the 1st is a Tuesday, the 5th a Saturday). */
const at = (day: number) => new Date(`2026-12-${String(day).padStart(2, "0")}T02:00:00Z`);

describe.each(STORE_KINDS)("the scheduled rating job on %s", (kind) => {
  const fx = useChatFixture(kind, RATED_CONFIG);

  const jobOf = (configText: string, clock: () => Date) => {
    const config = parseConfig(configText, "test");
    const news: BotNews[] = [];
    let sweeps = 0;
    const jobs = botJobs({
      db: fx.store.db as Db,
      loaded: { config, origin: "test", baseDir: "." },
      digests: { db: fx.store.db as Db, config, platforms: ["slack"], now: clock },
      sweep: async () => {
        sweeps += 1;
      },
      now: clock,
      log: silentLog,
      tell: (n) => news.push(n),
    });
    const schedules = botSchedules(config, ["Asia/Shanghai"]);
    const ratings = schedules.find((s) => s.job === "ratings")!;
    return {
      run: () => jobs.run(ratings, clock(), schedules),
      news,
      sweeps: () => sweeps,
    };
  };
  const keys = async () =>
    (await fx.store.db.select({ key: outbox.key }).from(outbox).where(like(outbox.key, "rating-%")))
      .map((r) => r.key)
      .sort();

  it("queues the team's card, tells the terminal and sweeps the outbox", async () => {
    const job = jobOf(RATED_CONFIG, () => at(1));
    await job.run();
    expect(await keys()).toEqual(["rating-card:t1:2026-11:boss"]);
    expect(job.news).toEqual([{ kind: "ratings-queued", schedule: "ratings:Asia/Shanghai", messages: 1 }]);
    expect(job.sweeps()).toBe(1);
  });

  it("escalates after the configured days and reminds on the configured working days only", async () => {
    const configText = `${RATED_CONFIG}\nratings: { escalateAfterDays: 2, workingDays: [tue, sat] }\n`;
    let day = 1;
    const job = jobOf(configText, () => at(day));
    await job.run();
    // Wednesday 2nd: not a working day here, so neither a reminder nor an escalation.
    day = 2;
    await job.run();
    expect(await keys()).toEqual(["rating-card:t1:2026-11:boss"]);
    // Saturday 5th: a reminder, and the admin hears of it (5 days after the month closed ≥ 2).
    day = 5;
    await job.run();
    expect(await keys()).toEqual([
      "rating-card:t1:2026-11:boss",
      "rating-escalation:slack:U_ROOT:2026-11:2026-12-05",
      "rating-reminder:boss:2026-11:2026-12-05",
    ]);
  });

  it("sends nothing when the rating job is about another zone's teams", async () => {
    const config = parseConfig(RATED_CONFIG, "test");
    const clock = () => at(1);
    const jobs = botJobs({
      db: fx.store.db as Db,
      loaded: { config, origin: "test", baseDir: "." },
      digests: { db: fx.store.db as Db, config, platforms: ["slack"], now: clock },
      sweep: async () => {},
      now: clock,
      log: silentLog,
      tell: () => {},
    });
    const [tokyo] = botSchedules(config, ["Asia/Tokyo"]).filter((s) => s.job === "ratings");
    await jobs.run(tokyo!, clock(), []);
    expect(await keys()).toEqual([]);
  });
});
