import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { robotMessage } from "../fakes/dingtalk/frames.ts";
import { defaultApp, type FakeDingTalk, startFakeDingTalk } from "../fakes/dingtalk/openapi.ts";
import { outgoingCallbackHeaders } from "../fakes/dingtalk/signing.ts";
import { type FakeStreamGateway, startFakeStreamGateway } from "../fakes/dingtalk/stream.ts";
import { encryptAndSign, urlVerification } from "../fakes/feishu/events.ts";
import { type FakeFeishu, startFakeFeishu } from "../fakes/feishu/server.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { urlVerificationRequest } from "../fakes/slack/signing.ts";
import { freshPostgresDatabase } from "../support/stores.ts";
import { flood } from "./flood-client.ts";

/**
 * The bot as it runs in production (`kpi start` in a child process, on PostgreSQL), with Slack,
 * Feishu and DingTalk all taking webhooks on its one port, against the loopback fakes. Every POST
 * route is sent 256 MB of unsigned body, with a Content-Length and chunked without one, by a
 * client that never stops on its own: the bot answers 413, hangs up, and its memory stays put.
 * Time to answer is printed, not asserted (a loaded machine is slow; the target is 100 ms).
 */

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FLOOD_BYTES = 256 * 1024 * 1024;
const MB = 1024 * 1024;
const SLACK_SIGNING_SECRET = "body-limits-slack-secret";
const FEISHU_ENCRYPT_KEY = "body-limits-encrypt-key";
const FEISHU_TOKEN = "body-limits-verification-token";

const ROUTES = [
  { platform: "slack", path: "/slack/events" },
  { platform: "feishu", path: "/feishu/events" },
  { platform: "dingtalk", path: "/dingtalk/events" },
] as const;

interface Bot {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** The child's resident memory now and its peak since the last reset, in bytes (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

/** Resets the peak (VmHWM) to the current resident size, so it shows the peak of what follows. */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

describe("the running bot, sent 256 MB unsigned bodies on every webhook route (postgres)", () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  const figures: string[] = [];
  let bot: Bot;
  let slack: FakeSlack;
  let feishu: FakeFeishu;
  let dingtalk: FakeDingTalk;
  let gateway: FakeStreamGateway;

  beforeAll(async () => {
    const database = await freshPostgresDatabase();
    cleanup.push(() => database.drop());
    slack = await startFakeSlack();
    cleanup.push(() => slack.close());
    feishu = await startFakeFeishu();
    cleanup.push(() => feishu.close());
    dingtalk = await startFakeDingTalk();
    cleanup.push(() => dingtalk.close());
    gateway = await startFakeStreamGateway({ sessionWebhookBaseUrl: dingtalk.baseUrl });
    cleanup.push(() => gateway.close());
    const dir = mkdtempSync(join(tmpdir(), "kpi-body-limits-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const configFile = join(dir, "kpi.config.yaml");
    writeFileSync(
      configFile,
      [
        "chat:",
        `  slack: { mode: http, apiUrl: "${slack.apiUrl}" }`,
        `  feishu: { mode: http, domain: "${feishu.domain}" }`,
        `  dingtalk: { mode: robot, apiUrl: "${dingtalk.baseUrl}", oapiUrl: "${dingtalk.baseUrl}",` +
          ` streamGatewayUrl: "${gateway.gatewayUrl}", httpCallback: true }`,
      ].join("\n"),
    );
    const app = feishu.newApp();
    const { DATABASE_URL: _, KPI_CONFIG: __, ...env } = process.env;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/run.ts", "start", "--config", configFile],
      {
        cwd: PROJECT_ROOT,
        env: {
          ...env,
          DATABASE_URL: database.url,
          KPI_PORT: "0",
          KPI_LOG_LEVEL: "warn",
          // English story lines: the wait below reads "listening on".
          KPI_LANG: "en",
          SLACK_BOT_TOKEN: slack.botToken,
          SLACK_SIGNING_SECRET,
          FEISHU_APP_ID: app.appId,
          FEISHU_APP_SECRET: app.appSecret,
          FEISHU_ENCRYPT_KEY,
          FEISHU_VERIFICATION_TOKEN: FEISHU_TOKEN,
          DINGTALK_CLIENT_ID: defaultApp.appKey,
          DINGTALK_CLIENT_SECRET: defaultApp.appSecret,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const url = await new Promise<string>((resolve, reject) => {
      const seen = (d: Buffer) => {
        output += d;
        const listening = /listening on (http:\/\/\S+) /.exec(output);
        if (listening) resolve(listening[1]!);
      };
      child.stdout.on("data", seen);
      child.stderr.on("data", seen);
      void exited.then(() => reject(new Error(`the bot exited before listening:\n${output}`)));
    });
    bot = { child, url, output: () => output, exited };
    cleanup.push(async () => {
      child.kill("SIGTERM");
      await exited;
    });
    await gateway.waitForConnection();
    // The routes' first requests load their code; that is not what is measured. DingTalk's
    // message is answered after the 200: wait for it to be counted.
    expect(await signedRequests()).toEqual([200, 200, 200]);
    await vi.waitFor(
      async () => {
        const metrics = await (await fetch(`${url}/metrics`)).text();
        if (!metrics.includes('{platform="dingtalk",outcome='))
          throw new Error("DingTalk's message not counted yet");
      },
      { timeout: 10_000 },
    );
  }, 120_000);

  afterAll(async () => {
    console.log(
      [
        "256 MB unsigned bodies against the running bot:",
        "route             body            answer  answered in  body sent   peak RSS growth  RSS after",
        ...figures,
      ].join("\n"),
    );
    for (const step of cleanup.splice(0).reverse()) await step();
  }, 60_000);

  /** A small request each platform signed: Slack's and Feishu's URL checks, a DingTalk message. */
  async function signedRequests(): Promise<number[]> {
    const slackCheck = urlVerificationRequest("after-flood", SLACK_SIGNING_SECRET, new Date());
    const feishuCheck = encryptAndSign(urlVerification("after-flood", FEISHU_TOKEN), {
      encryptKey: FEISHU_ENCRYPT_KEY,
      timestamp: Math.floor(Date.now() / 1000),
    });
    const message = robotMessage(
      { text: "help" },
      { robotCode: defaultApp.robotCode, nowMs: Date.now(), sessionWebhookBaseUrl: dingtalk.baseUrl },
    );
    const answers = [
      await fetch(`${bot.url}/slack/events`, { method: "POST", ...slackCheck }),
      await fetch(`${bot.url}/feishu/events`, { method: "POST", ...feishuCheck }),
      await fetch(`${bot.url}/dingtalk/events`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...outgoingCallbackHeaders(defaultApp.appSecret, Date.now()),
        },
        body: JSON.stringify(message),
      }),
    ];
    const [slackAnswer, feishuAnswer] = await Promise.all(answers.slice(0, 2).map((a) => a.json()));
    expect(slackAnswer).toEqual({ challenge: "after-flood" });
    expect(feishuAnswer).toEqual({ challenge: "after-flood" });
    return answers.map((a) => a.status);
  }

  const cases = ROUTES.flatMap((route) =>
    [true, false].map((declareLength) => ({
      ...route,
      declareLength,
      body: declareLength ? "Content-Length" : "chunked",
    })),
  );

  it.each(cases)(
    "answers 256 MB to $path ($body) with 413, hangs up, and grows by less than 20 MB",
    async ({ path, declareLength, body }) => {
      const pid = bot.child.pid!;
      const before = memoryOf(pid);
      resetPeak(pid);
      const answer = await flood(bot.url, {
        path,
        totalBytes: FLOOD_BYTES,
        declareLength,
        headers: { "content-type": "application/json" },
      });
      const after = memoryOf(pid);
      const growth = after.peak - before.rss;
      figures.push(
        [
          path.padEnd(18),
          body.padEnd(16),
          String(answer.status).padEnd(8),
          `${answer.answeredMs?.toFixed(1)} ms`.padEnd(13),
          `${(answer.bodyBytesSent / MB).toFixed(1)} MB`.padEnd(12),
          `${(growth / MB).toFixed(1)} MB`.padEnd(17),
          `${(after.rss / MB).toFixed(0)} MB`,
        ].join(""),
      );
      expect(answer.status).toBe(413);
      expect(answer.cutOff).toBe(true);
      expect(answer.bodyBytesSent).toBeLessThan(FLOOD_BYTES);
      expect(growth).toBeLessThan(20 * MB);
    },
    60_000,
  );

  it("still answers a small signed request on every route after the floods", async () => {
    expect(await signedRequests()).toEqual([200, 200, 200]);
  });

  it("counts each refused body under its platform as too_large in /metrics", async () => {
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    for (const { platform } of ROUTES) {
      expect(metrics).toContain(`kpi_inbound_requests_total{platform="${platform}",outcome="too_large"} 2`);
    }
  });
});
