import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Finding, runDoctor } from "../../../src/bot/doctor.ts";
import { findingLine } from "../../../src/cli/doctor.ts";
import {
  DINGTALK_GROUP,
  type DoctorWorld,
  FEISHU_CHAT,
  SLACK_CHANNEL,
  startDoctorWorld,
} from "./doctor-world.ts";

/**
 * `kpi doctor` against the loopback Slack, Feishu and DingTalk: all well, then each thing that
 * goes wrong in a real set-up, one at a time, named with its fix. No database exists here (the
 * embedded one is not created yet), which the doctor reports as fine.
 */

let world: DoctorWorld;
beforeEach(async () => {
  world = await startDoctorWorld();
});
afterEach(() => world.close());

const doctor = (env: Record<string, string> = world.env) => runDoctor({ configPath: world.configPath, env });
const failures = (findings: Finding[]) => findings.filter((f) => f.ok === false).map(findingLine);
const line = (findings: Finding[], subject: string) =>
  findings.filter((f) => f.subject.startsWith(subject)).map(findingLine);

/** No secret's value appears anywhere in what the doctor says. */
function expectNoSecret(findings: Finding[], env: Record<string, string>) {
  const text = findings.map(findingLine).join("\n");
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith("DINGTALK_CLIENT_ID") || name === "FEISHU_APP_ID") continue; // ids, not secrets
    expect(text, name).not.toContain(value);
  }
}

describe("kpi doctor on three platforms", () => {
  it("finds all well when everything is set up, and names what it checked", async () => {
    const findings = await doctor();
    expect(failures(findings)).toEqual([]);
    expect(findings.map(findingLine)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^✓ configuration: .*kpi\.config\.yaml: 1 shops, 1 teams, 1 agents; chat: slack, feishu, dingtalk$/,
        ),
        expect.stringMatching(/^✓ environment: SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, FEISHU_APP_ID/),
        expect.stringMatching(/^✓ database: embedded \(PGlite\) in .*data, not created yet/),
        "✓ Slack credentials: SLACK_BOT_TOKEN works: workspace kpi-bot-test, bot @kpi-bot (U0KPIBOT1)",
        "✓ Slack scopes: all 12 granted",
        `✓ Slack channel ${SLACK_CHANNEL} (team presales): the bot is a member of #presales`,
        "✓ Feishu credentials: FEISHU_APP_ID and FEISHU_APP_SECRET get a tenant access token",
        `✓ Feishu group ${FEISHU_CHAT} (team presales): the bot is in the group`,
        "✓ DingTalk credentials: DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET get an access token",
        `✓ DingTalk group ${DINGTALK_GROUP} (team presales): the robot is in the group`,
      ]),
    );
    expect(world.slack.callsTo("auth.test")).toHaveLength(1);
    expect(world.slack.callsTo("conversations.info").map((c) => c.body.channel)).toEqual([SLACK_CHANNEL]);
    expect(world.feishu.callsTo("/open-apis/im/v1/chats/:chat_id/members/is_in_chat", "GET")).toHaveLength(1);
    expect(world.dingtalk.callsTo("/v1.0/robot/groups/robots/query")).toHaveLength(1);
    // Nothing was posted anywhere.
    expect(world.slack.messages).toEqual([]);
    expect(world.feishu.messages.size).toBe(0);
    expectNoSecret(findings, world.env);
  });

  it("names each missing variable and where its value is found, and skips that platform's checks", async () => {
    const { SLACK_BOT_TOKEN: _, FEISHU_ENCRYPT_KEY: __, ...env } = world.env;
    const findings = await doctor(env);
    expect(failures(findings)).toEqual([
      "✗ environment: SLACK_BOT_TOKEN is not set; Slack (http mode) needs it → set SLACK_BOT_TOKEN to OAuth & Permissions → Bot User OAuth Token (xoxb-…)",
      "✗ environment: FEISHU_ENCRYPT_KEY is not set; Feishu (http mode) needs it → set FEISHU_ENCRYPT_KEY to 事件与回调 (Events & Callbacks) → 加密策略 (Encryption) → Encrypt Key",
    ]);
    expect(line(findings, "Slack credentials")).toEqual([
      "– Slack credentials: not checked: SLACK_BOT_TOKEN is not set",
    ]);
    expect(world.slack.calls).toEqual([]);
  });

  it("says a token is the wrong kind without showing it", async () => {
    const env = { ...world.env, SLACK_BOT_TOKEN: "xoxp-a-user-token-by-mistake" };
    const findings = await doctor(env);
    expect(failures(findings)[0]).toBe(
      "✗ environment: SLACK_BOT_TOKEN does not look right (a bot token starts with xoxb-) → set SLACK_BOT_TOKEN to OAuth & Permissions → Bot User OAuth Token (xoxb-…)",
    );
    expectNoSecret(findings, env);
  });

  it("reports a Slack token auth.test refuses, with what to do", async () => {
    const env = { ...world.env, SLACK_BOT_TOKEN: "xoxb-revoked-token" };
    const findings = await doctor(env);
    expect(line(findings, "Slack")).toEqual([
      "✗ Slack credentials: auth.test refused SLACK_BOT_TOKEN: invalid_auth → copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions into SLACK_BOT_TOKEN; reinstall the app if it was removed",
    ]);
    expectNoSecret(findings, env);
  });

  it("names the scopes the installed app lacks", async () => {
    await world.close();
    world = await startDoctorWorld({
      slackScopes: ["commands", "chat:write", "im:write", "im:history", "app_mentions:read", "channels:read"],
    });
    const findings = await doctor();
    expect(line(findings, "Slack scopes")).toEqual([
      "✗ Slack scopes: the token lacks channels:history, groups:history, groups:read, files:write, users:read, users:read.email → add them (kpi setup slack --url <public URL> prints the manifest with every scope) and reinstall the app",
    ]);
  });

  it("says how to invite the bot to a channel it is not in, and what an unknown channel id means", async () => {
    world.slack.addChannel({ id: SLACK_CHANNEL, name: "presales", botIsMember: false });
    const notIn = await doctor();
    expect(line(notIn, "Slack channel")).toEqual([
      `✗ Slack channel ${SLACK_CHANNEL} (team presales): the bot is not a member of #presales → invite it: type /invite @kpi-bot in #presales`,
    ]);
    world.writeConfig((config) => {
      (config.teams as { channels: Record<string, string> }[])[0]!.channels.slack = "C0NOSUCH";
    });
    const unknown = await doctor();
    expect(line(unknown, "Slack channel")).toEqual([
      "✗ Slack channel C0NOSUCH (team presales): conversations.info: channel_not_found → teams[presales].channels.slack: use the channel's id (C…, in its details); for a private channel invite the bot first",
    ]);
  });

  it("reports a Feishu app secret Feishu refuses, and a group the bot is not in", async () => {
    const env = { ...world.env, FEISHU_APP_SECRET: "wrong-secret" };
    const refused = await doctor(env);
    expect(line(refused, "Feishu")).toEqual([
      "✗ Feishu credentials: no tenant access token for FEISHU_APP_ID: 10014 app secret invalid → copy App ID and App Secret again from 凭证与基础信息 (Credentials & Basic Info) into FEISHU_APP_ID and FEISHU_APP_SECRET",
    ]);
    expectNoSecret(refused, env);
    world.writeConfig((config) => {
      (config.teams as { channels: Record<string, string> }[])[0]!.channels.feishu = "oc_other_group";
    });
    const notIn = await doctor();
    expect(line(notIn, "Feishu group")).toEqual([
      "✗ Feishu group oc_other_group (team presales): the bot is not in the group → add it: the group's settings → 群机器人 (Bots) → 添加机器人 (Add bot)",
    ]);
  });

  it("reports a Feishu permission the app was not granted", async () => {
    world.feishu.failNext("/open-apis/im/v1/chats/", {
      status: 400,
      code: 99991672,
      msg: "Access denied. One of the following scopes is required: [im:chat:readonly]",
    });
    const findings = await doctor();
    expect(line(findings, "Feishu group")).toEqual([
      `✗ Feishu group ${FEISHU_CHAT} (team presales): is_in_chat: 99991672 Access denied. One of the following scopes is required: [im:chat:readonly] → grant im:chat:readonly (kpi setup feishu lists every permission) and publish a version; check that ${FEISHU_CHAT} is the group's chat_id (oc_…)`,
    ]);
  });

  it("reports DingTalk credentials refused, a group without the robot, and skips a check it lacks the permission for", async () => {
    const env = { ...world.env, DINGTALK_CLIENT_SECRET: "wrong-secret" };
    const refused = await doctor(env);
    expect(line(refused, "DingTalk")).toEqual([
      "✗ DingTalk credentials: no access token for DINGTALK_CLIENT_ID: accessToken: HTTP 400 invalidClientIdOrSecret → copy Client ID and Client Secret again from the app's 凭证与基础信息 into DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET",
    ]);
    expectNoSecret(refused, env);

    world.dingtalk.addRobotToGroup("cidOtherGroup==", "someone-elses-robot");
    world.writeConfig((config) => {
      (config.teams as { channels: Record<string, string> }[])[0]!.channels.dingtalk = "cidOtherGroup==";
    });
    expect(line(await doctor(), "DingTalk group")).toEqual([
      "✗ DingTalk group cidOtherGroup== (team presales): the robot (dingkpibot0001) is not in the group → add it: the group's settings → 机器人 → 添加机器人, pick the app's robot",
    ]);

    world.dingtalk.failNext("/v1.0/robot/groups/robots/query", {
      status: 403,
      body: { code: "Forbidden.AccessDenied.AccessTokenPermissionDenied", message: "没有调用该接口的权限" },
    });
    const denied = await doctor();
    expect(line(denied, "DingTalk group")).toEqual([
      "– DingTalk group cidOtherGroup== (team presales): membership not checked: the app lacks the optional qyapi_chat_manage permission",
    ]);
  });

  it("checks a custom webhook robot's URL and secret by their shape only", async () => {
    world.writeConfig((config) => {
      (config.chat as Record<string, unknown>).dingtalk = { mode: "webhook" };
    });
    const { DINGTALK_CLIENT_ID: _, DINGTALK_CLIENT_SECRET: __, ...rest } = world.env;
    const good = {
      ...rest,
      DINGTALK_WEBHOOK_URL: "https://oapi.dingtalk.com/robot/send?access_token=abc123",
      DINGTALK_WEBHOOK_SECRET: "SECabcdef",
    };
    expect(line(await doctor(good), "DingTalk")).toEqual([
      "✓ DingTalk webhook: URL and secret are well formed (a custom robot cannot be checked without posting)",
    ]);
    const bad = { ...good, DINGTALK_WEBHOOK_SECRET: "abcdef" };
    const findings = await doctor(bad);
    expect(line(findings, "DingTalk")).toEqual([
      "✗ DingTalk webhook: DINGTALK_WEBHOOK_SECRET does not start with SEC (the 加签 secret) → copy the custom robot's Webhook and its 加签 secret again (group settings → 机器人)",
    ]);
    expectNoSecret(findings, bad);
  });

  it("names every invalid key of a configuration and checks nothing else", async () => {
    world.writeConfig((config) => {
      config.teams = [{ id: "presales", shop: "nowhere", name: "售前" }];
      (config.chat as Record<string, unknown>).slack = { mode: "carrier-pigeon" };
    });
    const findings = await doctor();
    expect(findings.map(findingLine)).toEqual([
      expect.stringMatching(
        /^✗ configuration: configuration .*kpi\.config\.yaml is invalid:; chat\.slack\.mode: .*→ correct the keys named/,
      ),
      "– the other checks: they need a configuration that loads",
    ]);
    expect(world.slack.calls).toEqual([]);
  });
});
