/**
 * The fan-out benchmark: 500 team digests and 5,000 direct messages (bench/fanout/plan.ts) sent by
 * the delivery engine, in one or more bot replicas (processes, replica.ts), through the real Slack,
 * Feishu and DingTalk SDKs to loopback fakes that enforce the platforms' published limits, on a
 * PostgreSQL server the bench starts itself (a fresh database per run).
 *
 *   npm run bench:fanout -- [--scale 1] [--replicas 2] [--via queue|sweep] [--runs 1]
 *                           [--progress] [--detail]
 *
 * The target: every key taken by a platform exactly once, nothing dead, no throttle ban
 * (report.ts), and the time from queueing to the last message within 10% of the limit-imposed
 * lower bound: the largest of messages-in-scope ÷ rate-of-scope over every limiter scope of the
 * fakes. Environment for the replicas: BENCH_LOG=warn (the engine's log on standard error),
 * BENCH_PROF=dir (CPU profiles), BENCH_HEADROOM=0.05 (the slots' margin).
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { outboxCounts } from "../../src/delivery/outbox-repo.ts";
import { openStore } from "../../src/store/database.ts";
import { defaultApp, startFakeDingTalk } from "../../tests/fakes/dingtalk/openapi.ts";
import { DINGTALK_PUBLISHED_LIMITS } from "../../tests/fakes/dingtalk/rate-limits.ts";
import { FEISHU_PUBLISHED_LIMITS } from "../../tests/fakes/feishu/rate-limits.ts";
import { startFakeFeishu } from "../../tests/fakes/feishu/server.ts";
import { SLACK_PUBLISHED_LIMITS } from "../../tests/fakes/slack/rate-limits.ts";
import { startFakeSlack } from "../../tests/fakes/slack/server.ts";
import { type PostgresServer, startPostgres, withDatabase } from "../../tests/support/postgres.ts";
import { machineBusySeconds } from "../commands/bot-child.ts";
import { fanoutMessages, scaledPlan } from "./plan.ts";
import { startReplica } from "./replicas.ts";
import { report, type Verdict } from "./report.ts";
import { type Fakes, tally } from "./tally.ts";

const { values: args } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    replicas: { type: "string", default: "2" },
    via: { type: "string", default: "queue" },
    runs: { type: "string", default: "1" },
    // The outbox's counts every 5 s while a run goes.
    progress: { type: "boolean", default: false },
    // For each throttled call, the platform's messages in the second before it.
    detail: { type: "boolean", default: false },
  },
});
const scale = Number(args.scale);
const replicas = Number(args.replicas);
if (args.via !== "queue" && args.via !== "sweep") throw new Error("--via is queue or sweep");

async function oneRun(postgres: PostgresServer, run: number): Promise<Verdict> {
  const database = `fanout_${run}_${Date.now()}`;
  await withDatabase(postgres.url, (sql) => sql.unsafe(`CREATE DATABASE ${database}`));
  const url = new URL(postgres.socketUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const store = await openStore({ databaseUrl });
  const fakes: Fakes = {
    slack: await startFakeSlack({ limits: SLACK_PUBLISHED_LIMITS }),
    feishu: await startFakeFeishu({ limits: FEISHU_PUBLISHED_LIMITS }),
    dingtalk: await startFakeDingTalk({ limits: DINGTALK_PUBLISHED_LIMITS }),
  };
  const app = fakes.feishu.newApp();
  const env = {
    DATABASE_URL: databaseUrl,
    SLACK_API_URL: fakes.slack.apiUrl,
    SLACK_BOT_TOKEN: fakes.slack.botToken,
    FEISHU_DOMAIN: fakes.feishu.domain,
    FEISHU_APP_ID: app.appId,
    FEISHU_APP_SECRET: app.appSecret,
    DINGTALK_API_URL: fakes.dingtalk.baseUrl,
    DINGTALK_CLIENT_ID: defaultApp.appKey,
    DINGTALK_CLIENT_SECRET: defaultApp.appSecret,
  };
  const bots = Array.from({ length: replicas }, () => startReplica(env));
  try {
    for (const bot of bots) await bot.next();
    const planned = fanoutMessages(scaledPlan(scale));
    console.log(`run ${run}: ${planned.length} messages, ${replicas} replica(s), queued via ${args.via}`);
    const loadBefore = loadavg()[0]!;
    const busyBefore = await machineBusySeconds();
    const startedAt = Date.now();
    bots[0]!.child.send({ queue: { scale, via: args.via } });
    const queued = await bots[0]!.next();
    const deadline = startedAt + 600_000;
    let counts: Record<string, number> = {};
    let shownAt = startedAt;
    for (;;) {
      counts = await outboxCounts(store.db);
      if ((counts.sent ?? 0) + (counts.dead ?? 0) >= planned.length || Date.now() > deadline) break;
      if (args.progress && Date.now() - shownAt >= 5_000) {
        shownAt = Date.now();
        console.log(`  ${((shownAt - startedAt) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const recordedAt = Date.now();
    const busySeconds = (await machineBusySeconds()) - busyBefore;
    const loadAfter = loadavg()[0]!;
    const stopped = await Promise.all(
      bots.map((bot) => {
        bot.child.send({ stop: true });
        return bot.next();
      }),
    );
    return report(
      {
        planned,
        tally: tally(fakes),
        startedAt,
        recordedAt,
        queued,
        counts,
        stopped,
        load: [loadBefore, loadAfter],
        busySeconds,
      },
      args.detail,
    );
  } finally {
    await Promise.all(bots.map((bot) => bot.end()));
    await Promise.all([fakes.slack.close(), fakes.feishu.close(), fakes.dingtalk.close()]);
    await store.close();
  }
}

const postgres = await startPostgres();
const verdicts: Verdict[] = [];
try {
  console.log(
    `npm run bench:fanout -- --scale ${scale} --replicas ${replicas} --via ${args.via} --runs ${args.runs}`,
  );
  for (let run = 1; run <= Number(args.runs); run++) verdicts.push(await oneRun(postgres, run));
} finally {
  await postgres.stop();
}
if (verdicts.length > 1) {
  console.log("runs: time / bound = ratio, throttled, duplicates, losses");
  for (const v of verdicts) {
    console.log(
      `  ${v.seconds.toFixed(2)} s / ${v.bound.toFixed(2)} s = ${v.ratio.toFixed(3)}, ${v.throttled}, ` +
        `${v.duplicates}, ${v.losses} ${v.ok ? "PASS" : "FAIL"}`,
    );
  }
}
process.exitCode = verdicts.every((v) => v.ok) ? 0 : 1;
