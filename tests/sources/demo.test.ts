import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AgentPeriod,
  builtinCatalogue,
  parsePeriod,
  type Scheme,
  schemeSet,
  scoreRecords,
  targetFor,
} from "../../src/engine/index.ts";
import { loadScheme } from "../../src/schemes/index.ts";
import { generateDemoShop, STRUGGLING } from "../../src/sources/demo/index.ts";
import type { AgentDayRecord } from "../../src/sources/source.ts";

const demo = generateDemoShop({ endDay: "2026-11-30" });
const records = demo.batches.flatMap((b) => b.records);
const facts = demo.batches.flatMap((b) => b.facts);
const byAccount = new Map(demo.roster.agents.map((a) => [a.accounts[0]!.account, a]));
const agentNamed = (id: string) => demo.roster.agents.find((a) => a.id === id)!;

function total(rs: readonly AgentDayRecord[], metric: string): { num: number; den: number } {
  const sum = { num: 0, den: 0 };
  for (const r of rs) {
    const v = r.values[metric];
    if (v) {
      sum.num += v.num;
      sum.den += v.den;
    }
  }
  return sum;
}

const onDay = (day: string) => records.filter((r) => r.day === day);
const receptionsOn = (day: string) => total(onDay(day), "receptions").num;

describe("the demo shop", () => {
  it("is deterministic: the same options give the same output, another seed other figures", () => {
    const again = generateDemoShop({ endDay: "2026-11-30" });
    expect(JSON.stringify(again)).toBe(JSON.stringify(demo));
    const other = generateDemoShop({ endDay: "2026-11-30", seed: 7 });
    expect(other.roster).toEqual(demo.roster);
    expect(JSON.stringify(other.batches)).not.toBe(JSON.stringify(demo.batches));
  });

  it("has one Tmall apparel shop, two teams, 12 pre-sales, 12 after-sales, 2 supervisors, 2 trainees", () => {
    const { shops, teams, agents } = demo.roster;
    expect(shops).toEqual([expect.objectContaining({ platform: "taobao", timeZone: "Asia/Shanghai" })]);
    expect(shops[0]!.category).toBe("apparel");
    expect(teams.map((t) => t.name)).toEqual(["售前组", "售后组"]);
    const count = (role: string) => agents.filter((a) => a.role === role).length;
    expect([count("presales"), count("aftersales"), count("supervisor"), count("trainee")]).toEqual([
      12, 12, 2, 2,
    ]);
    for (const agent of agents) {
      expect(agent.id).toMatch(/^[a-z0-9_-]+$/);
      expect(agent.name).toMatch(/\p{Script=Han}/u);
      if (agent.role === "supervisor") continue;
      const lead = agentNamed(agent.supervisor!);
      expect(lead).toMatchObject({ role: "supervisor", team: agent.team });
    }
    const accounts = agents.flatMap((a) => a.accounts.map((x) => x.account));
    expect(new Set(accounts).size).toBe(accounts.length);
    expect(new Set(agents.map((a) => a.id)).size).toBe(agents.length);
    expect(accounts[0]).toMatch(/^.+旗舰店:.+$/);
  });

  it("covers 90 days ending on endDay, one batch a day, trainees joining within them", () => {
    const days = demo.batches.map((b) => b.records[0]!.day!);
    expect(days).toHaveLength(90);
    expect(days.at(-1)).toBe("2026-11-30");
    expect(days[0]).toBe("2026-09-02");
    days.forEach((day, i) => {
      expect(parsePeriod(day).first).toBe(parsePeriod("2026-09-02").first + i);
      const batch = demo.batches[i]!;
      expect(batch.source).toBe("demo");
      expect(batch.problems).toEqual([]);
      expect(batch.records.every((r) => r.day === day)).toBe(true);
      expect(batch.facts.every((f) => f.day === day && f.at.startsWith(day))).toBe(true);
    });
    for (const trainee of demo.roster.agents.filter((a) => a.role === "trainee")) {
      expect(trainee.traineeSince! > days[0]! && trainee.traineeSince! <= days.at(-1)!).toBe(true);
      const account = trainee.accounts[0]!.account;
      expect(records.filter((r) => r.agent === account).every((r) => r.day! >= trainee.traineeSince!)).toBe(
        true,
      );
    }
    expect(generateDemoShop({ endDay: "2026-03-01", days: 30 }).batches).toHaveLength(30);
    expect(() => generateDemoShop({ endDay: "2026-02-30" })).toThrow(/not a day/);
  });

  it("gives agents rest days: 5–6 working days a week", () => {
    for (const agent of demo.roster.agents.filter((a) => a.role === "presales")) {
      const worked = records.filter((r) => r.agent === agent.accounts[0]!.account).length;
      expect(worked / (90 / 7)).toBeGreaterThan(4.7);
      expect(worked / (90 / 7)).toBeLessThan(6.3);
    }
  });

  it("writes only catalogue metrics, with finite figures, den ≥ 0 and ratios ≤ 1", () => {
    const wrong: string[] = [];
    for (const record of records) {
      if (!byAccount.has(record.agent)) wrong.push(`unknown agent ${record.agent}`);
      for (const [id, { num, den }] of Object.entries(record.values)) {
        const metric = builtinCatalogue.get(id);
        const ok =
          metric !== undefined &&
          Number.isFinite(num) &&
          Number.isFinite(den) &&
          den >= 0 &&
          num >= 0 &&
          (metric.aggregation !== "ratio" || num <= den);
        if (!ok) wrong.push(`${record.agent} ${record.day} ${id}: ${num}/${den}`);
      }
      for (const id of record.pending) if (!record.values[id]) wrong.push(`${record.agent} pending ${id}`);
    }
    expect(wrong).toEqual([]);
    expect(records.some((r) => r.pending.includes("resolution_rate"))).toBe(true);
  });

  it("peaks on Double 11 at three times an ordinary November day or more, with slower replies", () => {
    const ordinary = ["2026-11-24", "2026-11-25", "2026-11-26"];
    for (const day of ordinary)
      expect(receptionsOn("2026-11-11")).toBeGreaterThanOrEqual(3 * receptionsOn(day));
    const frt = (day: string) => {
      const t = total(onDay(day), "first_response_time");
      return t.num / t.den;
    };
    expect(frt("2026-11-11")).toBeGreaterThan(1.5 * frt("2026-11-25"));
    const preSale = receptionsOn("2026-10-28") + receptionsOn("2026-10-29");
    expect(preSale).toBeGreaterThan(receptionsOn("2026-11-25") + receptionsOn("2026-11-26"));
    const count = (day: string) => facts.filter((f) => f.day === day).length;
    expect(count("2026-11-11")).toBeGreaterThan(3 * count("2026-11-25"));
  });

  it("peaks on 618 too", () => {
    const june = generateDemoShop({ endDay: "2026-06-30", days: 40 }).batches.flatMap((b) => b.records);
    const on = (day: string) =>
      total(
        june.filter((r) => r.day === day),
        "receptions",
      ).num;
    expect(on("2026-06-18")).toBeGreaterThanOrEqual(2.5 * on("2026-06-29"));
  });

  it("keeps the struggling agents below the built-in targets on average", async () => {
    const metricOf = {
      conversion: "conversion_rate",
      crossSell: "cross_sell_rate",
      frt: "first_response_time",
      resolution: "resolution_rate",
      csat: "csat_rate",
    } as const;
    expect(Object.keys(STRUGGLING).length).toBeGreaterThanOrEqual(2);
    for (const [id, weakness] of Object.entries(STRUGGLING)) {
      const agent = agentNamed(id);
      const scheme = await loadScheme(agent.role);
      const own = records.filter((r) => r.agent === agent.accounts[0]!.account);
      for (const key of Object.keys(weakness) as (keyof typeof metricOf)[]) {
        const item = scheme.roles.get(agent.role)!.items.find((i) => i.metric.id === metricOf[key])!;
        const target = targetFor(item.target, agent.team, "apparel");
        const { num, den } = total(own, metricOf[key]);
        if (item.metric.direction === "up") expect(num / den, `${id} ${key}`).toBeLessThan(target);
        else expect(num / den, `${id} ${key}`).toBeGreaterThan(target);
      }
    }
  });

  it("has one fact behind every long wait, low rating and bad review counted", () => {
    const kinds = new Set(facts.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(["bad_review", "long_wait", "low_rating"]);
    const factCount = new Map<string, number>();
    for (const f of facts) {
      const key = `${f.kind} ${f.agent} ${f.day}`;
      factCount.set(key, (factCount.get(key) ?? 0) + 1);
    }
    const counted = { long_wait: 0, low_rating: 0, bad_review: 0 };
    const mismatches: string[] = [];
    for (const r of records) {
      const figures = {
        bad_review: r.values.bad_review_rate?.num ?? 0,
        low_rating: r.values.csat_rate ? r.values.csat_rate.den - r.values.csat_rate.num : 0,
        long_wait: r.values.long_wait_count?.num ?? 0,
      };
      for (const kind of ["bad_review", "low_rating", "long_wait"] as const) {
        const found = factCount.get(`${kind} ${r.agent} ${r.day}`) ?? 0;
        if (found !== figures[kind])
          mismatches.push(`${r.agent} ${r.day} ${kind}: ${found} ≠ ${figures[kind]}`);
        counted[kind] += figures[kind];
      }
    }
    expect(mismatches).toEqual([]);
    expect(facts.filter((f) => f.kind === "bad_review")).toHaveLength(counted.bad_review);
    expect(facts).toHaveLength(counted.bad_review + counted.low_rating + counted.long_wait);
    const refs = facts.map((f) => `${f.kind} ${f.agent} ${f.ref}`);
    expect(new Set(refs).size).toBe(refs.length);
    const review = facts.find((f) => f.kind === "bad_review")!;
    expect(review.detail.text).toMatch(/\p{Script=Han}/u);
    const at = Date.parse(review.at);
    expect(Date.parse(String(review.detail.followUpBy)) - at).toBe(24 * 3600_000);
    expect(review.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  });
});

describe("scoring a month of demo figures with the built-in schemes", () => {
  const toPeriod = (r: AgentDayRecord): AgentPeriod => {
    const agent = byAccount.get(r.agent)!;
    return {
      agent: agent.id,
      role: agent.role,
      period: r.day!,
      team: agent.team,
      shop: r.shop!,
      category: "apparel",
      values: r.values,
    };
  };

  async function scoreMonth(month: string) {
    const schemes: Scheme[] = await Promise.all(
      ["presales", "aftersales", "supervisor", "trainee"].map(loadScheme),
    );
    return scoreRecords(schemeSet(schemes), records.map(toPeriod), parsePeriod(month));
  }

  it.each([
    ["presales", "zhang"],
    ["aftersales", "ma"],
    ["trainee", "tang"],
    ["supervisor", "wang-fang"],
  ])("covers every %s item for %s: a finite total and a grade", async (role, id) => {
    const cards = await scoreMonth("2026-10");
    const card = cards.find((c) => c.agent === id)!;
    expect(card.role).toBe(role);
    expect(card.items.filter((i) => i.status !== "scored").map((i) => i.metric)).toEqual([]);
    expect(Number.isFinite(card.total)).toBe(true);
    expect(card.grade).toMatch(/^[SABCD]$/);
  });

  it("grades the struggling below their peers", async () => {
    const cards = await scoreMonth("2026-11");
    const totalOf = (id: string) => cards.find((c) => c.agent === id)!.total!;
    const peers = cards.filter((c) => c.role === "presales" && !(c.agent in STRUGGLING)).map((c) => c.total!);
    const median = peers.sort((a, b) => a - b)[Math.floor(peers.length / 2)]!;
    expect(totalOf("zhao")).toBeLessThan(median);
  });
});

describe("the demo source's code", () => {
  const dir = join(import.meta.dirname, "../../src/sources/demo");
  it.each(readdirSync(dir).filter((f) => f.endsWith(".ts")))(
    "%s uses no clock, no randomness, no I/O",
    (file) => {
      const source = readFileSync(join(dir, file), "utf8");
      expect(source).not.toMatch(/Math\.random|Date\.now|new Date\(|process\.|from "node:/);
    },
  );
});

describe("the demo's last days alone", () => {
  it("draws the same last four days as the whole 90-day run, and only those", () => {
    const whole = generateDemoShop({ endDay: "2026-12-06", days: 90, seed: 1 });
    const tail = generateDemoShop({ endDay: "2026-12-06", days: 90, seed: 1, lastDays: 4 });
    expect(tail.batches).toHaveLength(4);
    expect(tail.batches.flatMap((b) => b.records.map((r) => r.day))).toContain("2026-12-03");
    expect(tail.batches).toEqual(whole.batches.slice(-4));
    expect(tail.roster).toEqual(whole.roster);
  });
});
