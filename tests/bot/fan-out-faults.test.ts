import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/database.ts";
import { outbox } from "../../src/store/schema.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { freshPostgresDatabase } from "../support/stores.ts";

/**
 * The bot as it runs in production, several `kpi start` processes on one PostgreSQL, sending the
 * digests of 40 teams (daily, weekly and monthly: 120 messages) to the fake Slack: killed with
 * SIGKILL in the middle of the fan-out and started again, or three replicas at once, every
 * digest reaches its channel exactly once.
 */

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TEAMS = 40;
const KINDS = ["日报", "周报", "月报"];

const pad = (n: number) => String(n).padStart(2, "0");

function configText(slackUrl: string): string {
  const ids = Array.from({ length: TEAMS }, (_, i) => pad(i + 1));
  return [
    "shops: [{ id: s1, name: 旗舰店, platform: taobao }]",
    "teams:",
    ...ids.map((n) => `  - { id: t${n}, shop: s1, name: T${n}, channels: { slack: C${n} } }`),
    "agents:",
    ...ids.map(
      (n) => `  - { id: a${n}, name: 客服${n}, role: presales, team: t${n}, chat: { slack: U${n} } }`,
    ),
    // Every minute: whenever a replica starts, the catch-up finds the digests of the current slot.
    "digests:",
    '  daily: { cron: "* * * * *" }',
    '  weekly: { cron: "* * * * *" }',
    '  monthly: { cron: "* * * * *" }',
    "  chart: false",
    `chat: { slack: { mode: http, apiUrl: "${slackUrl}" } }`,
  ].join("\n");
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startReplica(configFile: string, databaseUrl: string, slack: FakeSlack): Running {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/run.ts", "start", "--config", configFile],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        KPI_PORT: "0",
        KPI_LOG_LEVEL: "warn",
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: "secret",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, output: () => output, exited };
}

/** Posts per digest (channel and kind), as the fake received them. */
function postsPerDigest(slack: FakeSlack): Map<string, number> {
  const posts = new Map<string, number>();
  for (const m of slack.messages) {
    const kind = KINDS.find((k) => m.text?.includes(k));
    if (!kind) continue;
    const key = `${m.channel} ${kind}`;
    posts.set(key, (posts.get(key) ?? 0) + 1);
  }
  return posts;
}

async function sending(store: Store): Promise<number> {
  const [row] = await store.db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(eq(outbox.status, "sending"));
  return Number(row?.n ?? 0);
}

async function countSent(store: Store): Promise<number> {
  const [row] = await store.db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(eq(outbox.status, "sent"));
  return Number(row?.n ?? 0);
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the bot said:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the bot's fan-out survives crashes and replicas (postgres)", () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setUp() {
    const database = await freshPostgresDatabase();
    cleanup.push(() => database.drop());
    // Slack's real pace (1 message a second per channel), so a fan-out lasts a few seconds.
    const slack = await startFakeSlack();
    cleanup.push(() => slack.close());
    const dir = mkdtempSync(join(tmpdir(), "kpi-fanout-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const configFile = join(dir, "kpi.config.yaml");
    writeFileSync(configFile, configText(slack.apiUrl));
    const start = () => {
      const replica = startReplica(configFile, database.url, slack);
      cleanup.push(async () => {
        replica.child.kill("SIGTERM");
        await replica.exited;
      });
      return replica;
    };
    return { slack, start, databaseUrl: database.url };
  }

  it("delivers every digest exactly once after a SIGKILL in the middle of the fan-out", async () => {
    const { start, slack, databaseUrl } = await setUp();
    const first = start();
    await until("the first 20 digests", () => slack.messages.length >= 20, 90_000, first.output);
    // Killed while a send is under way: Slack has posted the next message but its answer never
    // comes, so the row stays claimed for sending, its answer not recorded. (Waiting to see a row
    // in flight and killing then raced the send's own answer: the row was sometimes sent by then.)
    slack.failNext("chat.postMessage", { hang: "processed" });
    const store = await openStore({ databaseUrl, migrate: false });
    try {
      await until("a send in flight", async () => (await sending(store)) > 0, 30_000, first.output);
      first.child.kill("SIGKILL");
      await first.exited;
      expect(await sending(store)).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
    expect(slack.messages.length).toBeLessThan(TEAMS * KINDS.length);

    const second = start();
    // A send the killed process had begun is taken again after the 60 s lease: wait until the
    // outbox says every message is sent, not only until every digest has arrived.
    const check = await openStore({ databaseUrl, migrate: false });
    try {
      await until(
        "every outbox row sent",
        async () => (await countSent(check)) === TEAMS * KINDS.length,
        200_000,
        second.output,
      );
    } finally {
      await check.close();
    }
    const posts = postsPerDigest(slack);
    expect(posts.size).toBe(TEAMS * KINDS.length);
    expect([...posts].filter(([, n]) => n !== 1)).toEqual([]);
  }, 300_000);

  it("sends each digest once with three replicas on one database", async () => {
    const { slack, start } = await setUp();
    const replicas = [start(), start(), start()];
    const said = () => replicas.map((r) => r.output()).join("\n");
    await until("every digest", () => postsPerDigest(slack).size === TEAMS * KINDS.length, 120_000, said);
    // A minute's next fire finds the digests sent and queues nothing.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const posts = postsPerDigest(slack);
    expect([...posts].filter(([, n]) => n !== 1)).toEqual([]);
    expect(posts.size).toBe(TEAMS * KINDS.length);
  }, 180_000);
});
