import { dingtalkGroup, dingtalkToken, webhookShapeProblem } from "../chat/dingtalk/dingtalk-checks.ts";
import type { Config } from "../config.ts";
import { type Finding, failed, passed, skipped } from "./doctor-finding.ts";

/**
 * DingTalk: the enterprise robot's access token and its membership of each digest group; for a
 * custom webhook robot only the shape of its URL and secret (it cannot be asked without posting).
 */

export async function dingtalkFindings(
  dingtalk: NonNullable<Config["chat"]["dingtalk"]>,
  teams: Config["teams"],
  env: Readonly<Record<string, string | undefined>>,
): Promise<Finding[]> {
  if (dingtalk.mode === "webhook") return webhookFindings(env);
  const clientId = env.DINGTALK_CLIENT_ID?.trim();
  const clientSecret = env.DINGTALK_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret)
    return [
      skipped("DingTalk credentials", "not checked: DINGTALK_CLIENT_ID or DINGTALK_CLIENT_SECRET is not set"),
    ];
  const token = await dingtalkToken({ apiUrl: dingtalk.apiUrl, clientId, clientSecret });
  if (!token.ok)
    return [
      failed(
        "DingTalk credentials",
        `no access token for DINGTALK_CLIENT_ID: ${token.error}`,
        token.error.includes("no answer")
          ? "check chat.dingtalk.apiUrl and that this machine reaches api.dingtalk.com"
          : "copy Client ID and Client Secret again from the app's 凭证与基础信息 into DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET",
      ),
    ];
  const findings = [
    passed("DingTalk credentials", "DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET get an access token"),
  ];
  const robotCode = dingtalk.robotCode ?? clientId;
  const posted = teams.filter(
    (team) => team.channels.dingtalk !== undefined && team.channels.dingtalk !== "webhook",
  );
  if (posted.length === 0)
    findings.push(
      skipped(
        "DingTalk digest groups",
        "no team names one (teams[].channels.dingtalk): digests are not posted on DingTalk",
      ),
    );
  for (const team of posted) {
    const id = team.channels.dingtalk!;
    const subject = `DingTalk group ${id} (team ${team.id})`;
    const group = await dingtalkGroup({ apiUrl: dingtalk.apiUrl, robotCode, token: token.token }, id);
    if (group.ok === "unknown")
      findings.push(
        skipped(subject, `membership not checked: the app lacks the optional ${group.permission} permission`),
      );
    else if (!group.ok)
      findings.push(
        failed(subject, group.error, `check that ${id} is the group's openConversationId (cid…)`),
      );
    else if (!group.member)
      findings.push(
        failed(
          subject,
          `the robot (${robotCode}) is not in the group`,
          "add it: the group's settings → 机器人 → 添加机器人, pick the app's robot",
        ),
      );
    else findings.push(passed(subject, "the robot is in the group"));
  }
  return findings;
}

function webhookFindings(env: Readonly<Record<string, string | undefined>>): Finding[] {
  const url = env.DINGTALK_WEBHOOK_URL?.trim();
  const secret = env.DINGTALK_WEBHOOK_SECRET?.trim();
  if (!url || !secret)
    return [
      skipped("DingTalk webhook", "not checked: DINGTALK_WEBHOOK_URL or DINGTALK_WEBHOOK_SECRET is not set"),
    ];
  const problem = webhookShapeProblem(url, secret);
  if (problem)
    return [
      failed(
        "DingTalk webhook",
        problem,
        "copy the custom robot's Webhook and its 加签 secret again (group settings → 机器人)",
      ),
    ];
  return [
    passed(
      "DingTalk webhook",
      "URL and secret are well formed (a custom robot cannot be checked without posting)",
    ),
  ];
}
