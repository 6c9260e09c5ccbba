import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initCommand } from "../../src/cli/init.ts";
import type { Output } from "../../src/cli/options.ts";
import { rosterCommand } from "../../src/cli/roster.ts";
import { loadConfig } from "../../src/config.ts";
import { auditEntries } from "../../src/store/audit-repo.ts";
import { chatIdentities } from "../../src/store/schema.ts";
import { defaultApp, type FakeDingTalk, startFakeDingTalk } from "../fakes/dingtalk/openapi.ts";
import { type FakeFeishu, startFakeFeishu } from "../fakes/feishu/server.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { rosterRows } from "../fixtures/roster/roster-rows.ts";
import { freshPostgresDatabase, openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * `kpi roster sync` against the loopback directories: the 30-agent roster of `kpi init`, each
 * agent looked up by email or mobile with the real SDKs, the ids written into the file (its
 * comments kept) and the database, audited; a platform error writes nothing.
 */

const ROSTER = join(import.meta.dirname, "../fixtures/roster/roster-30.csv");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The roster's people as a directory knows them: email and mobile by row, in the fixture's order. */
const people = rosterRows().map(([name, , , , , email, mobile], i) => ({
  i,
  name: name!,
  email: email || undefined,
  mobile: mobile || undefined,
}));

function captured(): Output & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

/** A workspace made by `kpi init` for `platform`, its chat section pointed at the fake. */
async function workspace(platform: "slack" | "feishu" | "dingtalk", pointAt: (text: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), "kpi-roster-sync-"));
  dirs.push(dir);
  const path = join(dir, "kpi.config.yaml");
  const args = [
    "--shop",
    "flagship:云裳服饰旗舰店:taobao",
    "--platform",
    platform,
    "--roster",
    ROSTER,
    "--config",
    path,
  ];
  expect(await initCommand(args, captured(), {})).toBe(0);
  writeFileSync(path, pointAt(readFileSync(path, "utf8")));
  return { dir, path };
}

/** A database of its own on the test run's PostgreSQL (quicker to start than PGlite on disk); dropped after the file's tests. */
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});
async function databaseEnv(): Promise<NodeJS.ProcessEnv> {
  const database = await freshPostgresDatabase();
  drops.push(() => database.drop());
  return { DATABASE_URL: database.url };
}

const sync = (path: string, env: NodeJS.ProcessEnv, ...more: string[]) => {
  const output = captured();
  return rosterCommand(["sync", "--config", path, ...more], output, env).then((code) => ({
    code,
    ...output,
  }));
};

describe("kpi roster sync --from feishu", () => {
  let fake: FakeFeishu;
  let app: { appId: string; appSecret: string };
  beforeAll(async () => {
    // Everyone but 小刘 is in the tenant's directory, with the email and mobile of the roster.
    fake = await startFakeFeishu({
      directory: people
        .filter((p) => p.name !== "小刘")
        .map((p) => ({
          openId: `ou_fake_${p.i}`,
          ...(p.email ? { email: p.email.toUpperCase() } : {}),
          ...(p.mobile ? { mobile: `+86${p.mobile}` } : {}),
        })),
    });
    app = fake.newApp();
  });
  afterAll(() => fake.close());
  const feishuEnv = () => ({ FEISHU_APP_ID: app.appId, FEISHU_APP_SECRET: app.appSecret });
  const pointAtFake = (text: string) => text.replace("https://open.feishu.cn", fake.domain);

  for (const kind of STORE_KINDS) {
    it(`fills the Feishu ids from emails (mobiles where there is none), reports who was not found, and audits it (${kind})`, async () => {
      const { path } = await workspace("feishu", pointAtFake);
      const store = await openTestStore(kind);
      // The command closes what it opens; the test store is closed (emptied, dropped) after the checks.
      const open = async () => ({ ...store, close: async () => {} });
      const callsBefore = fake.callsTo("/open-apis/contact/v3/users/batch_get_id").length;
      try {
        const output = captured();
        const code = await rosterCommand(
          ["sync", "--config", path, "--from", "feishu", "--yes"],
          output,
          feishuEnv(),
          open,
        );
        expect(output.err).toEqual([]);
        expect(code).toBe(0);
        expect(output.out[0]).toBe("feishu: 28 to write, 0 already in the file, 2 not found");
        expect(output.out).toContain("  ? liu (小刘): not in the directory by email or mobile");
        expect(output.out).toContain("  ? agent-30 (小彭): no email or mobile in the configuration");
        expect(output.out).toContain("  + agent-05 (小陈) → ou_fake_4  by mobile");

        const { config } = await loadConfig(path);
        const ids = Object.fromEntries(config.agents.map((a) => [a.id, a.chat?.feishu]));
        expect(ids.zhang).toBe("ou_fake_1");
        expect(ids["agent-05"]).toBe("ou_fake_4");
        expect(ids.liu).toBeUndefined();
        expect(Object.values(ids).filter(Boolean)).toHaveLength(28);
        // Comments and the one-line agents stay as init wrote them.
        const text = readFileSync(path, "utf8");
        expect(text).toContain("# One agent a row of the roster file.");
        expect(text).toMatch(/^ {2}- \{ id: zhang, name: 小张, .*chat: \{ feishu: ou_fake_1 \} \}$/m);
        // Emails went up to 50 a call (one here), then those not found by email, by mobile.
        const calls = fake.callsTo("/open-apis/contact/v3/users/batch_get_id", "POST").slice(callsBefore);
        expect(
          calls.map((c) => [
            (c.body.emails as unknown[] | undefined)?.length,
            (c.body.mobiles as unknown[] | undefined)?.length,
          ]),
        ).toEqual([
          [24, undefined],
          [undefined, 6],
        ]);
        expect(calls[0]?.query.user_id_type).toBe("open_id");

        const entries = await auditEntries(store.db, "roster.chat-ids");
        expect(entries).toHaveLength(1);
        const entry = entries[0]!;
        expect(entry.actor).toBe("kpi roster sync");
        expect(entry.detail).toMatchObject({ platform: "feishu", file: path });
        expect((entry.detail.notFound as string[]).sort()).toEqual(["agent-30", "liu"]);
        expect((entry.detail.set as unknown[]).length).toBe(28);
        // The database's roster follows the file at once.
        const identities = await store.db.select().from(chatIdentities);
        expect(identities.filter((i) => i.platform === "feishu")).toHaveLength(28);
      } finally {
        await store.close();
      }
    }, 60_000);
  }

  it("writes nothing when Feishu fails: throttled, down, or the app's secret refused", async () => {
    const { dir, path } = await workspace("feishu", pointAtFake);
    const before = readFileSync(path, "utf8");
    const env = { ...feishuEnv(), KPI_DATA_DIR: join(dir, "data") };
    fake.failNext("/open-apis/contact/v3/users/batch_get_id", { status: 429, resetSeconds: 3 });
    const throttled = await sync(path, env, "--from", "feishu", "--yes");
    expect(throttled.code).toBe(1);
    expect(throttled.err.join("\n")).toMatch(
      /^kpi roster sync: feishu: .*HTTP 429.*try again later\nnothing was written$/,
    );
    fake.failNext("/open-apis/contact/v3/users/batch_get_id", { status: 500 });
    const down = await sync(path, env, "--from", "feishu", "--yes");
    expect(down.code).toBe(1);
    expect(down.err.join("\n")).toContain("HTTP 500");
    const refused = await sync(path, { ...env, FEISHU_APP_SECRET: "wrong" }, "--from", "feishu", "--yes");
    expect(refused.code).toBe(2);
    expect(refused.err[0]).toContain("Feishu refused FEISHU_APP_ID / FEISHU_APP_SECRET");
    expect(refused.err.join("\n")).not.toContain("wrong");
    expect(readFileSync(path, "utf8")).toBe(before);
  }, 30_000);

  it("only shows with --dry-run, and asks for --yes without a terminal", async () => {
    const { dir, path } = await workspace("feishu", pointAtFake);
    const before = readFileSync(path, "utf8");
    const env = { ...feishuEnv(), KPI_DATA_DIR: join(dir, "data") };
    const dry = await sync(path, env, "--from", "feishu", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.out.at(-1)).toBe("dry run: nothing was written");
    await expect(sync(path, env, "--from", "feishu")).rejects.toThrow(/--yes: no terminal to confirm on/);
    await expect(sync(path, {}, "--from", "feishu", "--yes")).rejects.toThrow(
      "--from: feishu needs FEISHU_APP_ID and FEISHU_APP_SECRET in the environment",
    );
    expect(readFileSync(path, "utf8")).toBe(before);
  }, 30_000);
});

describe("kpi roster sync --from slack", () => {
  let fake: FakeSlack;
  // Of the roster's people without an email: one is in the workspace under their name alone, two
  // people share the second one's name, and the third's namesake has left (deactivated).
  const noEmail = people.filter((p) => p.email === undefined);
  const [byName, shared, departed] = noEmail;
  const person = (id: string, realName: string, more: { deleted?: boolean } = {}) => ({
    id,
    name: id.toLowerCase(),
    real_name: realName,
    tz: "Asia/Shanghai",
    locale: "zh-CN",
    ...more,
  });
  beforeAll(async () => {
    fake = await startFakeSlack({
      users: [
        ...people
          .filter((p) => p.email !== undefined && p.name !== "小李")
          .map((p) => ({
            id: `U0FAKE${String(p.i).padStart(3, "0")}`,
            name: p.name,
            tz: "Asia/Shanghai",
            locale: "zh-CN",
            email: p.email!,
          })),
        person("U0NAME001", byName!.name),
        person("U0NAME002", shared!.name),
        person("U0NAME003", shared!.name),
        person("U0NAME004", departed!.name, { deleted: true }),
      ],
    });
  });
  afterAll(() => fake.close());
  const pointAtFake = (text: string) =>
    text.replace("slack: { mode: http }", `slack: { mode: http, apiUrl: "${fake.apiUrl}" }`);

  it("finds agents by email with users.lookupByEmail, else by a name only one person has, and keeps ids already there", async () => {
    const { path } = await workspace("slack", pointAtFake);
    const env = { SLACK_BOT_TOKEN: fake.botToken, ...(await databaseEnv()) };
    const listed = fake.callsTo("users.list").length;
    const first = await sync(path, env, "--from", "slack", "--yes");
    expect(first.err).toEqual([]);
    // 24 emails, 小李's not in the workspace; of the 6 without one, one is found by name.
    expect(first.out[0]).toBe("slack: 24 to write, 0 already in the file, 6 not found");
    expect(first.out).toContain("  ? li (小李): not in the directory by email or a name no one else has");
    expect(fake.callsTo("users.lookupByEmail")).toHaveLength(24);
    // Everyone not found by email, looked for in one listing of the workspace.
    expect(fake.callsTo("users.list").length - listed).toBe(1);
    const { config } = await loadConfig(path);
    const slackOf = (name: string) => config.agents.find((a) => a.name === name)?.chat?.slack;
    expect(config.agents.find((a) => a.id === "zhang")?.chat).toEqual({ slack: "U0FAKE001" });
    expect(first.out.some((line) => line.includes(`(${byName!.name}) → U0NAME001  by name`))).toBe(true);
    expect(slackOf(byName!.name)).toBe("U0NAME001");
    // Two people with the name, or only a deactivated one: no guess.
    expect(slackOf(shared!.name)).toBeUndefined();
    expect(slackOf(departed!.name)).toBeUndefined();

    const again = await sync(path, env, "--from", "slack", "--yes");
    expect(again.out[0]).toBe("slack: 0 to write, 24 already in the file, 6 not found");
    expect(again.out.at(-1)).toBe("nothing to write");
  }, 30_000);

  it("says so when Slack refuses the token or rate-limits, and writes nothing", async () => {
    const { dir, path } = await workspace("slack", pointAtFake);
    const before = readFileSync(path, "utf8");
    const env = { SLACK_BOT_TOKEN: "xoxb-not-the-token", KPI_DATA_DIR: join(dir, "data") };
    const refused = await sync(path, env, "--from", "slack", "--yes");
    expect(refused.code).toBe(2);
    expect(refused.err).toEqual([
      "kpi roster sync: slack: Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token (xoxb-…) of the installed app\nnothing was written",
    ]);
    fake.failNext("users.lookupByEmail", { status: 429, retryAfter: 20 });
    const throttled = await sync(
      path,
      { ...env, SLACK_BOT_TOKEN: fake.botToken },
      "--from",
      "slack",
      "--yes",
    );
    expect(throttled.code).toBe(1);
    expect(throttled.err[0]).toMatch(
      /^kpi roster sync: slack: Slack is rate-limiting users.lookupByEmail: try again in 20 s\n/,
    );
    expect(readFileSync(path, "utf8")).toBe(before);
  }, 30_000);
});

describe("kpi roster sync --from dingtalk", () => {
  let fake: FakeDingTalk;
  beforeAll(async () => {
    // Everyone with a mobile; 小赵 has left the organisation.
    fake = await startFakeDingTalk({
      staff: people
        .filter((p) => p.mobile !== undefined)
        .map((p) => ({
          userId: `staff${p.i}`,
          mobile: p.mobile!,
          ...(p.name === "小赵" ? { left: true } : {}),
        })),
    });
  });
  afterAll(() => fake.close());
  const pointAtFake = (text: string) =>
    text.replace(
      "dingtalk: { mode: robot }",
      `dingtalk: { mode: robot, apiUrl: "${fake.baseUrl}", oapiUrl: "${fake.baseUrl}" }`,
    );
  const dingtalkEnv = { DINGTALK_CLIENT_ID: defaultApp.appKey, DINGTALK_CLIENT_SECRET: defaultApp.appSecret };

  it("finds agents by mobile with getbymobile and the app's access token", async () => {
    const { path } = await workspace("dingtalk", pointAtFake);
    const result = await sync(
      path,
      { ...dingtalkEnv, ...(await databaseEnv()) },
      "--from",
      "dingtalk",
      "--yes",
    );
    expect(result.err).toEqual([]);
    expect(result.out[0]).toBe("dingtalk: 28 to write, 0 already in the file, 2 not found");
    expect(result.out).toContain("  ? zhao (小赵): not in the directory by mobile");
    const calls = fake.callsTo("/topapi/v2/user/getbymobile");
    expect(calls).toHaveLength(29);
    expect(calls.every((c) => c.query.access_token !== undefined && c.response !== undefined)).toBe(true);
    const { config } = await loadConfig(path);
    expect(config.agents.find((a) => a.id === "agent-30")?.chat).toBeUndefined();
    expect(config.agents.find((a) => a.id === "wang")?.chat).toEqual({ dingtalk: "staff0" });
  }, 30_000);

  it("writes nothing on DingTalk's 500, or when the AppSecret is refused", async () => {
    const { dir, path } = await workspace("dingtalk", pointAtFake);
    const before = readFileSync(path, "utf8");
    const env = { ...dingtalkEnv, KPI_DATA_DIR: join(dir, "data") };
    fake.failNext("/topapi/v2/user/getbymobile", { status: 500 });
    const down = await sync(path, env, "--from", "dingtalk", "--yes");
    expect(down.code).toBe(1);
    expect(down.err).toEqual([
      "kpi roster sync: dingtalk: getbymobile answered HTTP 500: try again later\nnothing was written",
    ]);
    const refused = await sync(
      path,
      { ...env, DINGTALK_CLIENT_SECRET: "nope" },
      "--from",
      "dingtalk",
      "--yes",
    );
    expect(refused.code).toBe(2);
    expect(refused.err[0]).toContain(
      "DingTalk refused DINGTALK_CLIENT_ID / DINGTALK_CLIENT_SECRET (HTTP 400 invalidClientIdOrSecret)",
    );
    expect(readFileSync(path, "utf8")).toBe(before);
  }, 30_000);
});
