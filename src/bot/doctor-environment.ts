import { dingtalkSecretNames } from "../chat/dingtalk/dingtalk-config.ts";
import { feishuSecretNames } from "../chat/feishu/feishu-config.ts";
import { slackSecretNames } from "../chat/slack/slack-secrets.ts";
import type { Config } from "../config.ts";
import { type Finding, failed, passed } from "./doctor-finding.ts";

/**
 * The environment variables the configuration needs: each configured platform's secrets for its
 * mode, and the variables HTTP sources name. Findings name variables, never their values.
 */

interface Needed {
  name: string;
  /** Who needs it, e.g. "Slack (http mode)". */
  by: string;
  where: string;
  /** What its value must look like, checked without showing it. */
  shape?: { test: (value: string) => boolean; says: string };
}

function neededVariables(config: Config): Needed[] {
  const needed: Needed[] = [];
  const { slack, feishu, dingtalk } = config.chat;
  if (slack) {
    const shapes: Record<string, Needed["shape"]> = {
      SLACK_BOT_TOKEN: { test: (v) => v.startsWith("xoxb-"), says: "a bot token starts with xoxb-" },
      SLACK_APP_TOKEN: { test: (v) => v.startsWith("xapp-"), says: "an app-level token starts with xapp-" },
    };
    for (const secret of slackSecretNames(slack.mode)) {
      const shape = shapes[secret.name];
      needed.push({ ...secret, by: `Slack (${slack.mode} mode)`, ...(shape ? { shape } : {}) });
    }
  }
  if (feishu) {
    for (const secret of feishuSecretNames(feishu.mode)) {
      // The long connection refuses any other shape (feishu-adapter.ts).
      const shape =
        secret.name === "FEISHU_APP_ID" && feishu.mode === "websocket"
          ? {
              test: (v: string) => /^cli_[0-9a-fA-F]{16}$/.test(v),
              says: "an App ID is cli_ and 16 hex digits",
            }
          : undefined;
      needed.push({ ...secret, by: `Feishu (${feishu.mode} mode)`, ...(shape ? { shape } : {}) });
    }
  }
  if (dingtalk) {
    for (const secret of dingtalkSecretNames(dingtalk.mode))
      needed.push({ ...secret, by: `DingTalk (${dingtalk.mode} mode)` });
  }
  for (const source of config.sources) {
    if (source.kind !== "http") continue;
    for (const [header, name] of Object.entries(source.headersFromEnv))
      needed.push({ name, by: `source ${source.id}`, where: `the value of its ${header} header` });
  }
  return needed;
}

export function environmentFindings(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
): Finding[] {
  const needed = neededVariables(config);
  if (needed.length === 0)
    return [passed("environment", "no variable needed (no chat platform, no HTTP source token)")];
  const findings: Finding[] = [];
  for (const variable of needed) {
    const value = env[variable.name]?.trim();
    if (!value) {
      findings.push(
        failed(
          "environment",
          `${variable.name} is not set; ${variable.by} needs it`,
          `set ${variable.name} to ${variable.where}`,
        ),
      );
    } else if (variable.shape && !variable.shape.test(value)) {
      findings.push(
        failed(
          "environment",
          `${variable.name} does not look right (${variable.shape.says})`,
          `set ${variable.name} to ${variable.where}`,
        ),
      );
    }
  }
  if (findings.length > 0) return findings;
  return [passed("environment", `${[...new Set(needed.map((v) => v.name))].join(", ")} set`)];
}
