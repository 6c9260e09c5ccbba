import { feishuChecks } from "../chat/feishu/feishu-checks.ts";
import type { Config } from "../config.ts";
import { type Finding, failed, passed, skipped } from "./doctor-finding.ts";

/** Feishu: the app's tenant access token, and the bot's membership of each digest group. */

export async function feishuFindings(
  feishu: NonNullable<Config["chat"]["feishu"]>,
  teams: Config["teams"],
  env: Readonly<Record<string, string | undefined>>,
): Promise<Finding[]> {
  const appId = env.FEISHU_APP_ID?.trim();
  const appSecret = env.FEISHU_APP_SECRET?.trim();
  if (!appId || !appSecret)
    return [skipped("Feishu credentials", "not checked: FEISHU_APP_ID or FEISHU_APP_SECRET is not set")];
  const checks = feishuChecks({ domain: feishu.domain, appId, appSecret });
  const token = await checks.token();
  if (!token.ok)
    return [
      failed(
        "Feishu credentials",
        `no tenant access token for FEISHU_APP_ID: ${token.error}`,
        token.error.startsWith("no answer") || token.error.startsWith("HTTP")
          ? "check chat.feishu.domain (open.feishu.cn or open.larksuite.com) and that this machine reaches it"
          : "copy App ID and App Secret again from 凭证与基础信息 (Credentials & Basic Info) into FEISHU_APP_ID and FEISHU_APP_SECRET",
      ),
    ];
  const findings = [
    passed("Feishu credentials", "FEISHU_APP_ID and FEISHU_APP_SECRET get a tenant access token"),
  ];
  const posted = teams.filter((team) => team.channels.feishu !== undefined);
  if (posted.length === 0)
    findings.push(
      skipped(
        "Feishu digest groups",
        "no team names one (teams[].channels.feishu): digests are not posted on Feishu",
      ),
    );
  for (const team of posted) {
    const chatId = team.channels.feishu!;
    const subject = `Feishu group ${chatId} (team ${team.id})`;
    const chat = await checks.chat(chatId);
    if (!chat.ok)
      findings.push(
        failed(
          subject,
          `is_in_chat: ${chat.error}`,
          `grant im:chat:readonly (kpi setup feishu lists every permission) and publish a version; check that ${chatId} is the group's chat_id (oc_…)`,
        ),
      );
    else if (!chat.member)
      findings.push(
        failed(
          subject,
          "the bot is not in the group",
          "add it: the group's settings → 群机器人 (Bots) → 添加机器人 (Add bot)",
        ),
      );
    else findings.push(passed(subject, "the bot is in the group"));
  }
  return findings;
}
