import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { ChatPlatform } from "../chat/caller.ts";
import { renderConsole } from "../chat/console/render.ts";
import { renderDingTalkMarkdown } from "../chat/dingtalk/markdown.ts";
import { renderCard } from "../chat/feishu/card.ts";
import type { Reply } from "../chat/reply.ts";
import { renderBlockKit } from "../chat/slack/block-kit.ts";
import { lazyChartRenderer } from "../digest/chart-renderer.ts";
import type { DigestKind } from "../digest/digest-config.ts";
import { KIND_OF_PERIOD, lastCompletePeriod, PERIOD_KIND } from "../digest/digest-period.ts";
import { composeDigest, digestTeams, publishDigest, teamChannels } from "../digest/publish-digest.ts";
import { DEFAULT_TIME_ZONE, dayInZone, InvalidInput, type Period, parseDay } from "../engine/index.ts";
import { cliMessagesFor } from "./cli-messages.ts";
import { digestSpec } from "./command-options.ts";
import { openContext } from "./context.ts";
import { choice, dayOption, langOption, type Output } from "./options.ts";
import { periodOption } from "./period-option.ts";

const KINDS = ["daily", "weekly", "monthly"] as const;
const PLATFORMS = ["console", "slack", "feishu", "dingtalk"] as const;

/**
 * Which digest of which period: --period as /kpi reads it (its kind names the digest), else the
 * last complete period of --kind, counted from `today` (the team's calendar day, or --date).
 */
export function digestPeriodOf(
  options: { period?: string; kind?: string; date?: string },
  today: number,
): { kind: DigestKind; period: Period } {
  const kind = options.kind === undefined ? undefined : choice("--kind", options.kind, KINDS);
  const from = options.date === undefined ? today : parseDay(dayOption("--date", options.date));
  if (options.period === undefined) {
    if (!kind)
      throw new InvalidInput(
        "--period",
        "say which digest: a period (yesterday, last-week, last-month, 2026-W47 …) or --kind daily|weekly|monthly for the last complete one",
      );
    return { kind, period: lastCompletePeriod(kind, from) };
  }
  const period = periodOption("--period", options.period, from);
  const ofPeriod = (KIND_OF_PERIOD as Partial<Record<string, DigestKind>>)[period.kind];
  if (!ofPeriod)
    throw new InvalidInput(
      "--period",
      `${period.key} is a ${period.kind}: a digest covers a day, a week or a month`,
    );
  if (kind && kind !== ofPeriod)
    throw new InvalidInput(
      "--kind",
      `${kind} does not go with ${period.key}, a ${period.kind}: leave --kind out, or give a ${PERIOD_KIND[kind]}`,
    );
  return { kind: ofPeriod, period };
}

export async function digestCommand(args: string[], out: Output): Promise<void> {
  const { values } = parseArgs({
    args,
    options: digestSpec.options,
    strict: true,
    allowPositionals: false,
  });
  if (!values.team) throw new InvalidInput("--team", "name the team (its id, e.g. presales-team)");
  const m = cliMessagesFor(langOption(values.lang)).digest;
  const platform = choice("--platform", values.platform ?? "console", PLATFORMS);
  // Wrong options are told before the database opens; the period is counted from the team's day below.
  digestPeriodOf(values, dayInZone(DEFAULT_TIME_ZONE)(Date.now()));
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
    const today = dayInZone(team.timeZone)(context.now().getTime());
    const { kind, period } = digestPeriodOf(values, today);
    const deps = {
      db: store.db,
      config: loaded.config,
      platforms: [platform] as ChatPlatform[],
      now: context.now,
      // Loaded here, not with the CLI: ECharts and the font take most of a second to load.
      renderChart: lazyChartRenderer(),
    };
    if (!values.preview) {
      const outcome = await publishDigest(deps, team, kind, period);
      out.stdout(
        outcome.status === "queued"
          ? m.queued(outcome.messages, outcome.revisions)
          : outcome.status === "already-published"
            ? m.alreadySent(kind, period.key, team.id)
            : m.noRecipients(team.id, platform),
      );
      return;
    }
    const composed = await composeDigest(deps, team, kind, period);
    const to = teamChannels(team, [platform]);
    out.stdout(
      m.preview(
        kind,
        team.id,
        period.key,
        to.map((r) => `${r.platform} ${JSON.stringify(r.to)}`).join(", ") || m.noChannel,
      ),
    );
    if (period.last >= today) out.stdout(m.unfinished(kind));
    out.stdout(rendered(platform, composed.channel));
    if (composed.supervisorTable) {
      out.stdout(m.supervisors(composed.supervisors.join(", ")));
      out.stdout(rendered(platform, composed.supervisorTable));
    }
    const image = composed.channel.blocks.find((b) => b.kind === "image");
    if (values.chart && image?.kind === "image") {
      await writeFile(values.chart, Buffer.from(image.pngBase64, "base64"));
      out.stdout(m.chartSaved(values.chart));
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
