import { parseArgs } from "node:util";
import { importAndScore, importExportFile, type NotScored } from "../bot/import-file.ts";
import { builtinCatalogue, InvalidInput } from "../engine/index.ts";
import { chatlogConversations } from "../sources/chatlog-conversations.ts";
import { chatlogFlags, chatlogOptions } from "../sources/chatlog-options.ts";
import { analyseChatlog, chatlogBatch } from "../sources/chatlog-source.ts";
import type { ExportKindId } from "../sources/exports/export-table.ts";
import type { FinishedOnly } from "../sources/exports/finished-only.ts";
import { checkExportFile } from "../sources/exports/index.ts";
import { formatProblem } from "../sources/source.ts";
import type { Db } from "../store/database.ts";
import type { ImportOutcome } from "../store/import-repo.ts";
import { shops } from "../store/schema.ts";
import { importSpec } from "./command-options.ts";
import { type CommandContext, openContext } from "./context.ts";
import { dayOption, type Output } from "./options.ts";
import { progressBars } from "./progress.ts";

/** The flags that only a chat log takes. */
const CHATLOG_FLAGS = ["phrases", "profile", "window", "time-zone"] as const;

const KINDS = ["chitu", "jd", "pdd", "douyin", "generic"] as const;

/** Exit code when the figures are stored but some periods could not be scored (they stay owed). */
const STORED_NOT_SCORED = 3;

export async function importCommand(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: importSpec.options,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new InvalidInput("", "name one file to import: kpi import <file>");
  const path = positionals[0]!;
  if (values.date !== undefined) dayOption("--date", values.date);
  const overrides = chatlogFlags(values);
  // Before the store opens (seconds, for a big roster): a missing file or a zip bomb is told at once.
  await checkExportFile(path, "");
  const context = await openContext(values.config);
  const progress = progressBars();
  const onProgress = (stage: string, done: number, total: number) => progress.update(stage, done, total);
  try {
    const configured = context.loaded.config.sources.find((s) => s.id === values.source);
    const kind = configured ? configured.kind : values.source;
    if (kind !== undefined && ![...KINDS, "chatlog", "auto"].includes(kind))
      throw new InvalidInput(
        "--source",
        `"${kind}" is not chitu, jd, pdd, douyin, generic, chatlog or a configured file source`,
      );
    if (kind !== "chatlog") {
      const flag = CHATLOG_FLAGS.find((f) => values[f] !== undefined);
      if (flag) throw new InvalidInput(`--${flag}`, "applies to a chat log only (--source chatlog)");
    }
    const shopId = await shopOf(
      context,
      values.shop ?? (configured && "shop" in configured ? configured.shop : undefined),
    );
    const now = context.now();
    if (kind === "chatlog") {
      const { config, baseDir } = context.loaded;
      const options = await chatlogOptions(
        { settings: config.chatlog, shops: config.shops, baseDir },
        overrides,
      );
      const files = {
        messages: path,
        ...(values.orders ? { orders: values.orders } : {}),
        ...(values.ratings ? { ratings: values.ratings } : {}),
        ...(values.reviews ? { reviews: values.reviews } : {}),
      };
      const result = await analyseChatlog(files, options);
      const shopIds = await shopIndex(context.store.db);
      // Quality review samples the conversations: the log is read again for them (docs/qa.md).
      const conversations = config.qa.enabled ? chatlogConversations(files, options) : undefined;
      const batch = chatlogBatch(result, (name) => shopIds.get(name), conversations);
      const { outcome, scored, notScored } = await importAndScore(context.store.db, batch, {
        fileName: path,
        shopId,
        config: context.loaded.config,
        actor: "kpi import",
        now,
        onProgress,
      });
      progress.stop();
      return report(out, path, "chatlog", outcome, scored.length, [], notScored);
    }
    const imported = await importExportFile(context.store.db, {
      path,
      ...(kind === undefined || kind === "auto" ? {} : { kind: kind as ExportKindId }),
      shopId,
      ...(values.date ? { day: values.date } : {}),
      config: context.loaded.config,
      actor: "kpi import",
      now,
      strict: values.strict ?? (configured && "strict" in configured ? configured.strict : false),
      ...(configured && "approximate" in configured ? { approximate: configured.approximate } : {}),
      onHeader: ({ finishedOnly }) => {
        // Said before anything is stored: a month of a big shop takes a while.
        for (const line of finishedOnlyWarnings(finishedOnly)) out.stderr(line);
      },
      onProgress,
    });
    progress.stop();
    return report(
      out,
      path,
      imported.kind,
      imported.outcome,
      imported.scored.length,
      imported.ignoredColumns,
      imported.notScored,
    );
  } finally {
    progress.stop();
    await context.close();
  }
}

async function shopIndex(db: Db): Promise<Map<string, string>> {
  const rows = await db.select({ id: shops.id, name: shops.name }).from(shops);
  return new Map(rows.flatMap((r) => [[r.id, r.id] as const, [r.name, r.id] as const]));
}

async function shopOf(context: CommandContext, wanted: string | undefined): Promise<string> {
  const known = await context.store.db.select({ id: shops.id }).from(shops);
  const ids = known.map((s) => s.id);
  if (wanted !== undefined) {
    if (!ids.includes(wanted))
      throw new InvalidInput("--shop", `no shop "${wanted}" (shops: ${ids.join(", ") || "none yet"})`);
    return wanted;
  }
  if (ids.length === 1) return ids[0]!;
  throw new InvalidInput(
    "--shop",
    `say which shop the file is from (shops: ${ids.join(", ") || "none yet"})`,
  );
}

/** What a file that gives rates only as finished figures means for its cards, metric by metric. */
export function finishedOnlyWarnings(finishedOnly: readonly FinishedOnly[]): string[] {
  return finishedOnly.map(({ metric, needs }) => {
    const def = builtinCatalogue.get(metric);
    const name = def ? `${def.zh} (${metric})` : metric;
    const fix = needs.length
      ? `add ${needs.join(" and ")} to the export to score it`
      : "export the counts under it to score it";
    return (
      `warning: ${name} comes only as a finished figure: day cards score it, weekly and monthly cards ` +
      `show it as not combinable (不可汇总) and score without it; ${fix}, ` +
      "or name a count for it under the source's approximate:, or pass --strict to refuse such files"
    );
  });
}

/**
 * Exit code 2 for a rejected file: the problems are the user's to fix. Figures stored with a
 * period that failed to score: said as such, exit 3 (the period stays owed and is tried again).
 */
function report(
  out: Output,
  path: string,
  kind: string,
  outcome: ImportOutcome,
  periods: number,
  ignored: string[],
  notScored: readonly NotScored[],
): number {
  if (outcome.status === "unchanged") {
    out.stdout(`${path}: already imported (import #${outcome.runId}); nothing changed`);
    return notScoredReport(out, notScored);
  }
  if (outcome.status === "rejected") {
    const n = outcome.problems.length;
    throw new InvalidInput(
      path,
      `${n} bad row${n === 1 ? "" : "s"}, so nothing was imported (import #${outcome.runId}); fix ${n === 1 ? "it" : "them"} and import again:\n` +
        outcome.problems.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
  }
  const { replaced, filled, unchanged } = outcome.agentDays;
  const lines = [
    `${path}: ${kind === "chatlog" ? "chat log" : `${kind} export`}, ${outcome.records} agent-days imported (import #${outcome.runId})` +
      (replaced ? `, ${replaced} replaced` : "") +
      (filled ? `, ${filled} pending figures filled in` : "") +
      (unchanged ? `, ${unchanged} unchanged` : "") +
      (outcome.createdAgents.length ? `, ${outcome.createdAgents.length} agents created` : "") +
      `; ${periods} periods scored`,
  ];
  if (ignored.length > 0) lines.push(`columns not read: ${ignored.join(", ")}`);
  out.stdout(lines.join("\n"));
  return notScoredReport(out, notScored);
}

function notScoredReport(out: Output, notScored: readonly NotScored[]): number {
  if (notScored.length === 0) return 0;
  out.stderr(
    [
      `stored: yes; not scored: ${notScored.length} period${notScored.length === 1 ? "" : "s"} (they stay owed: ` +
        "the bot tries again, or run `kpi db check --repair`):",
      ...notScored.map((n) => `  ${n.periodKey}: ${n.reason}`),
    ].join("\n"),
  );
  return STORED_NOT_SCORED;
}
