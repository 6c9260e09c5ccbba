import { slackChecks } from "../chat/slack/slack-checks.ts";
import { SLACK_BOT_SCOPES } from "../chat/slack/slack-manifest.ts";
import type { Config } from "../config.ts";
import { type Finding, failed, passed, skipped } from "./doctor-finding.ts";

/** Slack: the bot token (auth.test), its scopes, and the bot's membership of each digest channel. */

const MANIFEST_HINT = "kpi setup slack --url <public URL> prints the manifest with every scope";

/** What to do about an error auth.test answers. */
function tokenFix(error: string): string {
  if (["invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired"].includes(error))
    return "copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions into SLACK_BOT_TOKEN; reinstall the app if it was removed";
  return "check chat.slack.apiUrl and that this machine reaches Slack";
}

function channelFix(error: string, channel: string, team: string): string {
  if (error === "channel_not_found")
    return `teams[${team}].channels.slack: use the channel's id (C…, in its details); for a private channel invite the bot first`;
  if (error === "missing_scope")
    return `grant channels:read and groups:read (${MANIFEST_HINT}) and reinstall the app`;
  return `look at channel ${channel} in Slack`;
}

export async function slackFindings(
  slack: NonNullable<Config["chat"]["slack"]>,
  teams: Config["teams"],
  env: Readonly<Record<string, string | undefined>>,
): Promise<Finding[]> {
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  if (!botToken) return [skipped("Slack credentials", "not checked: SLACK_BOT_TOKEN is not set")];
  const checks = slackChecks({ apiUrl: slack.apiUrl, botToken });
  const token = await checks.token();
  if (!token.ok)
    return [
      failed("Slack credentials", `auth.test refused SLACK_BOT_TOKEN: ${token.error}`, tokenFix(token.error)),
    ];
  const findings = [
    passed(
      "Slack credentials",
      `SLACK_BOT_TOKEN works: workspace ${token.team}, bot @${token.botUser} (${token.botUserId})`,
    ),
  ];
  if (token.scopes !== undefined) {
    const missing = Object.keys(SLACK_BOT_SCOPES).filter((scope) => !token.scopes!.includes(scope));
    findings.push(
      missing.length === 0
        ? passed("Slack scopes", `all ${Object.keys(SLACK_BOT_SCOPES).length} granted`)
        : failed(
            "Slack scopes",
            `the token lacks ${missing.join(", ")}`,
            `add them (${MANIFEST_HINT}) and reinstall the app`,
          ),
    );
  }
  const posted = teams.filter((team) => team.channels.slack !== undefined);
  if (posted.length === 0)
    findings.push(
      skipped(
        "Slack digest channels",
        "no team names one (teams[].channels.slack): digests are not posted on Slack",
      ),
    );
  for (const team of posted) {
    const id = team.channels.slack!;
    const subject = `Slack channel ${id} (team ${team.id})`;
    const channel = await checks.channel(id);
    if (!channel.ok)
      findings.push(
        failed(subject, `conversations.info: ${channel.error}`, channelFix(channel.error, id, team.id)),
      );
    else if (channel.archived)
      findings.push(
        failed(
          subject,
          `#${channel.name} is archived`,
          `unarchive it, or name another channel in teams[${team.id}].channels.slack`,
        ),
      );
    else if (!channel.member)
      findings.push(
        failed(
          subject,
          `the bot is not a member of #${channel.name}`,
          `invite it: type /invite @${token.botUser} in #${channel.name}`,
        ),
      );
    else findings.push(passed(subject, `the bot is a member of #${channel.name}`));
  }
  return findings;
}
