import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { SLACK_BOT_SCOPES } from "../../../src/chat/slack/slack-manifest.ts";
import { defaultApp, type FakeDingTalk, startFakeDingTalk } from "../../fakes/dingtalk/openapi.ts";
import { type FakeFeishu, type FakeFeishuApp, startFakeFeishu } from "../../fakes/feishu/server.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack/server.ts";

/**
 * A workspace on all three platforms, as `kpi doctor` finds it when everything is set up: the
 * fakes with the bot in each team's channel, a configuration pointing at them, and the secrets.
 * Tests break one thing at a time.
 */

export const SLACK_CHANNEL = "C0PRESALES";
export const FEISHU_CHAT = "oc_presales_group";
export const DINGTALK_GROUP = "cidPresalesGroup==";

export interface DoctorWorld {
  dir: string;
  configPath: string;
  env: Record<string, string>;
  slack: FakeSlack;
  feishu: FakeFeishu;
  feishuApp: FakeFeishuApp;
  dingtalk: FakeDingTalk;
  /** Rewrites the configuration with `edit` applied. */
  writeConfig(edit?: (config: Record<string, unknown>) => void): void;
  close(): Promise<void>;
}

export async function startDoctorWorld(
  options: { slackScopes?: readonly string[] } = {},
): Promise<DoctorWorld> {
  const slack = await startFakeSlack({
    channels: [{ id: SLACK_CHANNEL, name: "presales", botIsMember: true }],
    grantedScopes: options.slackScopes ?? Object.keys(SLACK_BOT_SCOPES),
  });
  const feishu = await startFakeFeishu({ botChats: [FEISHU_CHAT] });
  const feishuApp = feishu.newApp();
  const dingtalk = await startFakeDingTalk({ groups: { [DINGTALK_GROUP]: [defaultApp.robotCode] } });
  const dir = mkdtempSync(join(tmpdir(), "kpi-doctor-"));
  const configPath = join(dir, "kpi.config.yaml");
  const writeConfig = (edit?: (config: Record<string, unknown>) => void) => {
    const config: Record<string, unknown> = {
      dataDir: "./data",
      shops: [{ id: "flagship", name: "旗舰店", platform: "taobao" }],
      teams: [
        {
          id: "presales",
          shop: "flagship",
          name: "售前一组",
          channels: { slack: SLACK_CHANNEL, feishu: FEISHU_CHAT, dingtalk: DINGTALK_GROUP },
        },
      ],
      agents: [{ id: "zhang", name: "小张", role: "presales", team: "presales" }],
      chat: {
        slack: { mode: "http", apiUrl: slack.apiUrl },
        feishu: { mode: "http", domain: feishu.domain },
        dingtalk: { mode: "robot", apiUrl: dingtalk.baseUrl, oapiUrl: dingtalk.baseUrl },
      },
    };
    edit?.(config);
    writeFileSync(configPath, stringify(config));
  };
  writeConfig();
  return {
    dir,
    configPath,
    env: {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: "slack-signing-secret-0123456789ab",
      FEISHU_APP_ID: feishuApp.appId,
      FEISHU_APP_SECRET: feishuApp.appSecret,
      FEISHU_ENCRYPT_KEY: "feishu-encrypt-key",
      FEISHU_VERIFICATION_TOKEN: "feishu-verification-token",
      DINGTALK_CLIENT_ID: defaultApp.appKey,
      DINGTALK_CLIENT_SECRET: defaultApp.appSecret,
    },
    slack,
    feishu,
    feishuApp,
    dingtalk,
    writeConfig,
    async close() {
      await Promise.all([slack.close(), feishu.close(), dingtalk.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
