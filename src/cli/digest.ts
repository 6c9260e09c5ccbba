import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { ChatPlatform } from "../chat/caller.ts";
import { renderConsole } from "../chat/console/render.ts";
import { renderDingTalkMarkdown } from "../chat/dingtalk/markdown.ts";
import { renderCard } from "../chat/feishu/card.ts";
import type { Reply } from "../chat/reply.ts";
import { renderBlockKit } from "../chat/slack/block-kit.ts";
import type { DigestKind } from "../digest/digest-config.ts";
import { digestPeriod } from "../digest/digest-period.ts";
import { composeDigest, digestTeams, publishDigest, teamChannels } from "../digest/publish-digest.ts";
import { InvalidInput, type Period, parseDay, periodOfDay } from "../engine/index.ts";
import { openContext } from "./context.ts";
import { choice, dayOption, type Output } from "./options.ts";

export const digestUsage = `kpi digest --team <id> --period day|week|month [--date YYYY-MM-DD] [--preview]
           [--platform console|slack|feishu|dingtalk] [--chart <file.png>] [--config <file>]

  A team's digest. --preview prints what would be sent, as the platform gets it, and sends
  nothing; without it the digest is queued for the running bot to send (once: a digest already
  sent is not queued again). --date: the period containing that day (default: the period the
  next scheduled digest covers: yesterday, last week, last month). --chart saves the trend chart.`;

const PERIODS = ["day", "week", "month"] as const;
const KIND: Record<(typeof PERIODS)[number], DigestKind> = { day: "daily", week: "weekly", month: "monthly" };
const PLATFORMS = ["console", "slack", "feishu", "dingtalk"] as const;

export async function digestCommand(args: string[], out: Output): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      team: { type: "string" },
      period: { type: "string" },
      date: { type: "string" },
      preview: { type: "boolean", default: false },
      platform: { type: "string" },
      chart: { type: "string" },
      config: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.team) throw new InvalidInput("--team", "name the team (its id, e.g. presales-team)");
  if (!values.period) throw new InvalidInput("--period", "say day, week or month");
  const kind = KIND[choice("--period", values.period, PERIODS)];
  const platform = choice("--platform", values.platform ?? "console", PLATFORMS);
  const date = values.date === undefined ? undefined : dayOption("--date", values.date);
  const context = await openContext(values.config);
  try {
    const { store, loaded } = context;
    const teams = await digestTeams(store.db, loaded.config);
    const team = teams.find((t) => t.id === values.team);
    if (!team)
      throw new InvalidInput(
        "--team",
        `no team "${values.team}" (teams: ${teams.map((t) => t.id).join(", ") || "none"})`,
      );
    const period: Period =
      date === undefined
        ? digestPeriod(kind, context.now(), team.timeZone)
        : periodOfDay(parseDay(date), kind === "daily" ? "day" : kind === "weekly" ? "week" : "month");
    const deps = {
      db: store.db,
      config: loaded.config,
      platforms: [platform] as ChatPlatform[],
      now: context.now,
      // Loaded here, not with the CLI: ECharts and the font take most of a second to load.
      renderChart: (await import("../digest/trend-chart.ts")).renderTrendChart,
    };
    if (!values.preview) {
      const outcome = await publishDigest(deps, team, kind, period);
      out.stdout(
        outcome.status === "queued"
          ? `queued ${outcome.messages} messages for the bot to send (${outcome.revisions} revisions reported)`
          : outcome.status === "already-published"
            ? `the ${kind} digest of ${period.key} was already sent to ${team.id}; nothing queued`
            : `${team.id} has no channel on ${platform} (teams[].channels in the configuration)`,
      );
      return;
    }
    const composed = await composeDigest(deps, team, kind, period);
    const to = teamChannels(team, [platform]);
    out.stdout(
      `── ${kind} digest of ${team.id} for ${period.key} → ${to.map((r) => `${r.platform} ${JSON.stringify(r.to)}`).join(", ") || "(no channel configured)"} ──`,
    );
    out.stdout(rendered(platform, composed.channel));
    if (composed.supervisorTable) {
      out.stdout(`── and to each supervisor (${composed.supervisors.join(", ")}) by direct message ──`);
      out.stdout(rendered(platform, composed.supervisorTable));
    }
    const image = composed.channel.blocks.find((b) => b.kind === "image");
    if (values.chart && image?.kind === "image") {
      await writeFile(values.chart, Buffer.from(image.pngBase64, "base64"));
      out.stdout(`chart saved to ${values.chart}`);
    }
  } finally {
    await context.close();
  }
}

/** The reply as the platform's API gets it (the console: as the terminal shows it). */
function rendered(platform: (typeof PLATFORMS)[number], reply: Reply): string {
  switch (platform) {
    case "console":
      return renderConsole(reply);
    case "slack":
      return JSON.stringify(renderBlockKit(reply), null, 2);
    case "feishu":
      return JSON.stringify(renderCard(reply), null, 2);
    case "dingtalk":
      return renderDingTalkMarkdown(reply)
        .map((part) => `### ${part.title}\n${part.text}`)
        .join("\n\n");
  }
}
