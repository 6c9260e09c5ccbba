/**
 * The commands benchmark: signed Slack `/kpi me month` slash commands from 1,000 agents at a fixed rate
 * against the real bot (our HTTP server, the Slack adapter with Bolt, the /kpi use-case) on a
 * PostgreSQL server it starts itself, holding 1,000 agents × 400 days (bench/commands/seed.ts).
 * Target: the scorecard reaches the asker within 50 ms at the 99th percentile, at 200/s.
 *
 *   npm run bench:commands -- [--agents 1000] [--days 400] [--rate 200] [--seconds 20]
 *                             [--warmup 5] [--connections 10] [--text "me month"]
 *                             [--driver autocannon|paced] [--pg socket|tcp]
 *
 * Each request is signed when autocannon builds it (Slack's timestamp is checked), with a trigger
 * id of its own (commands are de-duplicated by it). Two figures: the ack (autocannon's latency,
 * Slack waits 3 s for) and the answer: in the ack itself when the bot has it within its inline
 * budget (2 s), else send → scorecard at the response URL.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon, { type RawRequest } from "autocannon";
import { SLACK_EVENTS_PATH } from "../../src/chat/slack/slack-route-receiver.ts";
import { dayInZone, dayKey } from "../../src/engine/index.ts";
import { openStore } from "../../src/store/database.ts";
import { startFakeSlack } from "../../tests/fakes/slack/server.ts";
import { slashCommandRequest } from "../../tests/fakes/slack/signing.ts";
import { fakeWorkspace } from "../../tests/fakes/slack/workspace.ts";
import { startPostgres } from "../../tests/support/postgres.ts";
import { type AnswerClock, quantile, startAnswerClock } from "./answer-clock.ts";
import { botFigures, machineBusySeconds, startBot } from "./bot-child.ts";
import { type PacedResult, pacedLoad } from "./paced-load.ts";
import { seedCommandsBench, slackIdOf } from "./seed.ts";

const { values: args } = parseArgs({
  options: {
    agents: { type: "string", default: "1000" },
    days: { type: "string", default: "400" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "5" },
    // autocannon's own default. Each second starts with this many requests at once, and each
    // connection sends its next as soon as its last is answered (see docs/benchmarks.md).
    connections: { type: "string", default: "10" },
    // autocannon sends each second's requests in a burst as the second starts; paced spaces them.
    driver: { type: "string", default: "autocannon" },
    // "me" alone asks for today, which has no scorecard yet; the seed scores this month.
    // "help" measures the Slack path with almost no use-case behind it.
    text: { type: "string", default: "me month" },
    // How the bot reaches PostgreSQL on this host: its Unix socket, or TCP on loopback.
    pg: { type: "string", default: "socket" },
  },
});
const agents = Number(args.agents);
const days = Number(args.days);
const rate = Number(args.rate);
const connections = Number(args.connections);
const SIGNING_SECRET = "bench-commands-signing-secret";
const ms = (value: number) => `${value.toFixed(1)} ms`;

let sentCount = 0;
function signedKpi(clock: AnswerClock): RawRequest {
  sentCount += 1;
  const id = `bench-${sentCount}`;
  // A different agent each time, so no answer comes from a warm per-agent cache.
  const user = slackIdOf((sentCount * 7919) % agents);
  const request = slashCommandRequest(
    {
      command: "/kpi",
      text: args.text,
      user_id: user,
      user_name: user.toLowerCase(),
      team_id: fakeWorkspace.teamId,
      channel_id: "C0BENCH01",
      response_url: clock.urlFor(id),
      trigger_id: id,
    },
    SIGNING_SECRET,
    new Date(),
  );
  clock.sent(id);
  return { method: "POST", path: SLACK_EVENTS_PATH, headers: request.headers, body: request.body };
}

/** The roster's configuration, too big for an environment variable, as a temp file. */
async function writeConfig(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), "kpi-bench-commands-")), "kpi.config.yaml");
  await writeFile(file, text);
  return file;
}

async function answersIn(clock: AnswerClock, expected: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (clock.waits().length < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const postgres = await startPostgres();
const closers: (() => Promise<void>)[] = [];
try {
  const store = await openStore({ databaseUrl: postgres.url });
  closers.push(() => store.close());
  const now = new Date();
  const lastDay = dayKey(dayInZone()(now.getTime()) - 1);
  console.log(`seeding ${agents} agents × ${days} days up to ${lastDay} …`);
  let started = performance.now();
  const { rows, configText } = await seedCommandsBench(store.db, { agents, days, lastDay }, now);
  console.log(
    `seeded ${rows.toLocaleString("en-US")} agent-days in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  // The seeding connection is closed: the bot opens its own, in its own process.
  closers.pop();
  await store.close();
  const fake = await startFakeSlack();
  closers.push(() => fake.close());
  const clock = await startAnswerClock();
  closers.push(() => clock.close());
  const bot = await startBot({
    DATABASE_URL: args.pg === "tcp" ? postgres.url : postgres.socketUrl,
    SLACK_API_URL: fake.apiUrl,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: fake.botToken,
    BENCH_CONFIG_FILE: await writeConfig(configText),
  });
  closers.push(() => bot.stop());

  const next = () => signedKpi(clock);
  const load = async (seconds: number): Promise<PacedResult> => {
    if (args.driver === "paced") return pacedLoad(bot.url, rate, seconds, next);
    let inline = 0;
    const result = await autocannon({
      url: bot.url,
      connections,
      duration: seconds,
      overallRate: rate,
      requests: [
        {
          setupRequest: next,
          onResponse: (_status: number, body: string) => {
            if (body.length > 0) inline += 1;
          },
        },
      ],
    });
    const { p50: ackP50, p99: ackP99 } = result.latency;
    const ok = result["2xx"];
    // autocannon keeps no latency per request: when every ack carried its answer, the ack
    // latencies are the answers'; otherwise the inline answers' own figures are unknown.
    const allInline = inline === ok;
    return {
      ok,
      other: result.non2xx,
      errors: result.errors + result.timeouts,
      ackP50,
      ackP99,
      inline,
      inlineP50: allInline ? ackP50 : Number.NaN,
      inlineP99: allInline ? ackP99 : Number.NaN,
    };
  };

  console.log(`warming up for ${args.warmup} s …`);
  const warm = await load(Number(args.warmup));
  await answersIn(clock, warm.ok - warm.inline);
  clock.reset();

  console.log(`/kpi ${args.text} at ${rate}/s for ${args.seconds} s (${args.driver}) …`);
  started = performance.now();
  const before = await botFigures(bot.url);
  const machineBefore = await machineBusySeconds();
  const loadBefore = process.cpuUsage();
  const result = await load(Number(args.seconds));
  await answersIn(clock, result.ok - result.inline);
  const elapsed = (performance.now() - started) / 1000;
  const waits = clock.waits();

  console.log(`acks:    ${result.ok} × 200, ${result.other} other, ${result.errors} errors or timeouts`);
  console.log(
    `         ${(result.ok / elapsed).toFixed(1)}/s, p50 ${ms(result.ackP50)}, p99 ${ms(result.ackP99)}`,
  );
  console.log(
    `answers: ${result.inline} in the ack (p50 ${ms(result.inlineP50)}, p99 ${ms(result.inlineP99)}), ` +
      `${waits.length} of ${result.ok - result.inline} on the response URL (p50 ${ms(quantile(waits, 0.5))}, p99 ${ms(quantile(waits, 0.99))})`,
  );
  // With answers both ways the larger p99 bounds the whole; with one way it is that way's.
  const answerP99 =
    result.inline === 0
      ? quantile(waits, 0.99)
      : waits.length === 0
        ? result.inlineP99
        : Math.max(result.inlineP99, quantile(waits, 0.99));
  console.log(
    `         answer p99 ${ms(answerP99)}, ${((result.inline + waits.length) / elapsed).toFixed(1)}/s answered`,
  );
  const after = await botFigures(bot.url);
  const machine = (await machineBusySeconds()) - machineBefore;
  const loadCpu = process.cpuUsage(loadBefore);
  const answered = after.commands - before.commands;
  console.log(
    `         of which the /kpi use-case: mean ${ms(((after.commandSecondsSum - before.commandSecondsSum) / answered) * 1000)} (${answered} answered)`,
  );
  const perCommand = (seconds: number) => ms((seconds / answered) * 1000);
  const botCpu = after.cpuSeconds - before.cpuSeconds;
  const loadSeconds = (loadCpu.user + loadCpu.system) / 1e6;
  console.log(
    `CPU per command: bot ${perCommand(botCpu)}, PostgreSQL and the rest ${perCommand(machine - botCpu - loadSeconds)}, load generator ${perCommand(loadSeconds)}` +
      ` (machine ${((machine / elapsed) * 100).toFixed(0)}% of one core busy of ${availableParallelism() * 100}%); bot event-loop lag p99 ${ms(after.lagP99Seconds * 1000)}`,
  );
  const met =
    answerP99 <= 50 && result.inline + waits.length === result.ok && result.other + result.errors === 0;
  console.log(met ? "target met (p99 ≤ 50 ms, every command answered)" : "target NOT met");
} finally {
  for (const close of closers.reverse()) await close().catch((e: unknown) => console.error(e));
  await postgres.stop();
}
