import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ChatlogAnalyzer, type ChatlogOptions } from "../../src/engine/index.ts";
import { streamBytes } from "../../src/sources/chatlog-files.ts";
import { combineParts, partJobs, readMessagesInParallel } from "../../src/sources/chatlog-parallel.ts";
import { type PartResult, readPart } from "../../src/sources/chatlog-parts.ts";
import { HEADER, msg } from "../engine/chatlog/helpers.ts";

/** A day of interleaved sessions: transfers, auto-replies, left messages, slow and missing replies. */
function busyLog(sessions: number): string[] {
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const agents = ["小张", "小李", "小王", "小美"];
  const lines: { t: number; line: string }[] = [];
  const at = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
  for (let s = 0; s < sessions; s++) {
    const id = `S${s}`;
    const customer = `c${Math.floor(random() * sessions * 0.7)}`;
    let agent = agents[s % 4]!;
    let t = Date.parse("2026-11-11T00:00:00Z") + Math.floor(random() * 86_400_000);
    const night = new Date(t + 8 * 3_600_000).getUTCHours() < 8 && random() < 0.5;
    const push = (line: string) => lines.push({ t, line });
    push(
      msg(
        at(t),
        id,
        customer,
        night ? "" : agent,
        "customer",
        night ? "leave_message" : "message",
        "",
        "在吗",
      ),
    );
    t += 1000;
    if (!night) push(msg(at(t), id, customer, "", "auto", "message", "", "您好"));
    for (let round = 0; round < 1 + Math.floor(random() * 4); round++) {
      t += 1000 + Math.floor(random() * (random() < 0.05 ? 900_000 : 60_000));
      if (random() < 0.03) {
        const to = agents[(agents.indexOf(agent) + 1) % 4]!;
        push(msg(at(t), id, customer, agent, "system", "transfer", to));
        agent = to;
        t += 1000;
      }
      push(msg(at(t), id, customer, agent, "agent", "message", "", random() < 0.02 ? "不知道" : "亲，有的"));
      t += 1000 + Math.floor(random() * 120_000);
      if (random() < 0.9) push(msg(at(t), id, customer, agent, "customer", "message", "", "好的, 谢谢"));
    }
    if (random() < 0.8) {
      t += 2000;
      push(msg(at(t), id, customer, agent, "system", "close"));
    }
  }
  lines.sort((a, b) => a.t - b.t);
  return lines.map((l) => l.line);
}

async function single(path: string, options: ChatlogOptions) {
  const analyzer = new ChatlogAnalyzer(options);
  await streamBytes(path, "m", analyzer.messagesCsv("m.csv"));
  return analyzer.finish();
}

describe("reading a messages file on several cores", () => {
  const dir = mkdtempSync(join(tmpdir(), "kpi-par-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "messages.csv");
  writeFileSync(path, `${[HEADER, ...busyLog(4000)].join("\n")}\n`);

  it.each([
    ["generic", 2],
    ["generic", 3],
    ["jd", 2],
    ["pdd", 3],
  ] as const)(
    "gives exactly the single-core figures and facts (%s profile, %i parts)",
    async (profile, threads) => {
      const options = { profile, sessionGap: 20_000 };
      const one = await single(path, options);
      const many = await readMessagesInParallel(
        path,
        "m.csv",
        options,
        threads,
        { problems: [], problemCount: 0 },
        0,
      );
      expect(many).not.toBeNull();
      expect(one.problems).toEqual([]);
      expect(many!.agentDays).toEqual(one.agentDays);
      expect(many!.facts).toEqual(one.facts);
      expect(many!.stats.lines).toBe(one.stats.lines);
      expect(many!.stats.consultations).toBe(one.stats.consultations);
      expect(one.agentDays.length).toBeGreaterThan(4);
    },
  );

  it("gives the same figures whichever part finishes reading first", async () => {
    const options = { sessionGap: 20_000 };
    const one = await single(path, options);
    const jobs = (await partJobs(path, "m.csv", options, 2))!;
    // The first part ends before the second starts: the second learns at once which sessions continue.
    let open: Set<string> = new Set();
    const first = await readPart(jobs[0]!, {
      sendOpenAtEnd: (names) => (open = new Set(names)),
      receiveContinuing: async () => new Set(),
    });
    const early = await readPart(jobs[1]!, { sendOpenAtEnd: () => {}, receiveContinuing: async () => open });
    expect(open.size).toBeGreaterThan(10);
    expect(early.state.boundary.names.length).toBeGreaterThan(0);
    const results: PartResult[] = [first, early];
    const combined = combineParts(results, options, "m.csv", { problems: [], problemCount: 0 });
    expect(combined.agentDays).toEqual(one.agentDays);
    expect(combined.facts).toEqual(one.facts);
  });

  it("sets aside only the open sessions the next part saw early, and completes the rest itself", async () => {
    const options = { sessionGap: 20_000 };
    const one = await single(path, options);
    const jobs = (await partJobs(path, "m.csv", options, 2))!;
    let open: Set<string> = new Set();
    let early: string[] = [];
    let sentEarly: (names: Set<string>) => void = () => {};
    const laterEarly = new Promise<Set<string>>((resolve) => {
      sentEarly = resolve;
    });
    let continuing: (names: Set<string>) => void = () => {};
    const openReceived = new Promise<Set<string>>((resolve) => {
      continuing = resolve;
    });
    const results: PartResult[] = await Promise.all([
      readPart(jobs[0]!, {
        sendOpenAtEnd: (names) => {
          open = new Set(names);
          continuing(open);
        },
        receiveContinuing: async () => new Set(),
        receiveLaterEarly: () => laterEarly,
      }),
      readPart(jobs[1]!, {
        sendOpenAtEnd: () => {},
        receiveContinuing: () => openReceived,
        sendEarly: (names) => {
          early = names;
          sentEarly(new Set(names));
        },
      }),
    ]);
    const first = results[0]!.state.boundary;
    // The first part's late sessions that the second never saw were walked by the first part.
    expect(first.completedAtEnd.length).toBeGreaterThan(0);
    expect(first.names.length).toBe(open.size);
    for (const name of first.names) expect(early).toContain(name);
    for (const name of first.completedAtEnd) expect(early).not.toContain(name);
    const combined = combineParts(results, options, "m.csv", { problems: [], problemCount: 0 });
    expect(combined.agentDays).toEqual(one.agentDays);
    expect(combined.facts).toEqual(one.facts);
  });

  it("reports lines of a session too far apart, as the single-core reader does", async () => {
    // the reader checks for quiet sessions every 65,536 lines: put more than that in between
    const lines = [
      msg("2026-11-11 10:00:00", "far", "c1", "小张", "customer"),
      ...busyLog(12_000),
      msg("2026-11-11 23:00:00", "far", "c1", "小张", "agent"),
    ];
    const farPath = join(dir, "far.csv");
    writeFileSync(farPath, `${[HEADER, ...lines].join("\n")}\n`);
    const options = { sessionGap: 1000 };
    const one = await single(farPath, options);
    expect(one.problemCount).toBe(1);
    const many = await readMessagesInParallel(
      farPath,
      "m.csv",
      options,
      2,
      { problems: [], problemCount: 0 },
      0,
    );
    expect(many!.problemCount).toBe(1);
    expect(many!.problems[0]!.reason).toContain("session far");
  });
});
