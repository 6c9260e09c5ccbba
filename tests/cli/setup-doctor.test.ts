import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SLACK_BOT_SCOPES } from "../../src/chat/slack/slack-manifest.ts";
import { type DoctorWorld, startDoctorWorld } from "../bot/doctor/doctor-world.ts";
import { embeddedEnv, runKpi } from "../support/kpi-process.ts";

/** `kpi setup` and `kpi doctor` as a user runs them: what they print and their exit codes. */

let world: DoctorWorld;
beforeAll(async () => {
  world = await startDoctorWorld();
});
afterAll(() => world.close());

const kpi = (args: string[], env: Record<string, string> = {}) =>
  runKpi(args, { cwd: world.dir, env: embeddedEnv(env) });

describe("kpi setup", () => {
  it("prints a Slack manifest alone on standard output, with every scope, and the next steps on standard error", async () => {
    const { code, stdout, stderr } = await kpi(["setup", "slack", "--url", "https://kpi.example.com"]);
    expect(code).toBe(0);
    const manifest = parse(stdout);
    expect(manifest.oauth_config.scopes.bot).toEqual(Object.keys(SLACK_BOT_SCOPES));
    expect(manifest.settings.event_subscriptions.request_url).toBe("https://kpi.example.com/slack/events");
    expect(manifest.features.slash_commands[0].command).toBe("/kpi");
    expect(stderr).toContain("From an app manifest");
    expect(stderr).toContain("kpi doctor");
    const json = await kpi(["setup", "slack", "--url", "https://kpi.example.com", "--format", "json"]);
    expect(JSON.parse(json.stdout)).toEqual(manifest);
  });

  it("prints the Feishu permissions, event, callback URL, and the DingTalk robot's set-up", async () => {
    const [feishu, dingtalk] = await Promise.all([
      kpi(["setup", "feishu", "--url", "https://kpi.example.com"]),
      kpi(["setup", "dingtalk"]),
    ]);
    expect(feishu.code).toBe(0);
    expect(feishu.stdout).toContain("https://kpi.example.com/feishu/events");
    expect(feishu.stdout).toContain('{"scopes":{"tenant":["im:message:send_as_bot"');
    expect(feishu.stdout).toContain("card.action.trigger");
    expect(dingtalk.code).toBe(0);
    expect(dingtalk.stdout).toContain("Stream 模式");
    expect(dingtalk.stdout).toContain("qyapi_robot_sendmsg");
  });

  it("refuses, with exit 2 and the reason, a missing or plain-http URL and an unknown platform", async () => {
    const cases: [string[], RegExp][] = [
      [["setup", "slack"], /--url: give the bot's public https URL/],
      [["setup", "slack", "--url", "http://kpi.example.com"], /is not https/],
      [["setup", "teams"], /"teams" is not one of slack, feishu, dingtalk/],
      [["setup", "slack", "--url", "https://kpi.example.com", "--colour"], /--colour: no such flag/],
    ];
    const runs = await Promise.all(cases.map(([args]) => kpi(args)));
    runs.forEach(({ code, stderr }, i) => {
      expect(code, cases[i]![0].join(" ")).toBe(2);
      expect(stderr).toMatch(cases[i]![1]);
    });
  });
});

describe("kpi doctor", () => {
  it("exits 0 when all is well and 1 when something is wrong, never printing a secret", async () => {
    const well = await kpi(["doctor"], world.env);
    expect(well.stdout.trim().split("\n").at(-1)).toBe("all well");
    expect(well.code).toBe(0);

    const env = {
      ...world.env,
      FEISHU_APP_SECRET: "not-the-secret-xyz",
      SLACK_BOT_TOKEN: "xoxb-not-the-token-xyz",
    };
    const wrong = await kpi(["doctor"], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^✗ Slack credentials: auth\.test refused SLACK_BOT_TOKEN: invalid_auth/m);
    expect(wrong.stdout).toMatch(/^✗ Feishu credentials: .*10014/m);
    expect(wrong.stdout.trim().split("\n").at(-1)).toBe("2 problems to fix");
    expect(wrong.stdout + wrong.stderr).not.toContain("xyz");
  });

  it("exits 2 for the user's wrong arguments", async () => {
    const [unknown, missing] = await Promise.all([
      kpi(["doctor", "--verbose-please"]),
      kpi(["doctor", "--config", join(world.dir, "nope.yaml")]),
    ]);
    expect(unknown.code).toBe(2);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does not exist");
  });
});
