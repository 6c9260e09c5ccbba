import { parseArgs } from "node:util";
import { importAndScore, importExportFile } from "../bot/import-file.ts";
import { InvalidInput } from "../engine/index.ts";
import { chatlogFlags, chatlogOptions } from "../sources/chatlog-options.ts";
import { analyseChatlog, chatlogBatch } from "../sources/chatlog-source.ts";
import type { ExportKindId } from "../sources/exports/export-table.ts";
import { checkExportFile } from "../sources/exports/index.ts";
import { formatProblem } from "../sources/source.ts";
import type { Db } from "../store/database.ts";
import type { ImportOutcome } from "../store/import-repo.ts";
import { shops } from "../store/schema.ts";
import { type CommandContext, openContext } from "./context.ts";
import { dayOption, type Output } from "./options.ts";
import { progressBars } from "./progress.ts";

/** The flags that only a chat log takes. */
const CHATLOG_FLAGS = ["phrases", "profile", "window", "time-zone"] as const;

const KINDS = ["chitu", "jd", "generic"] as const;

export async function importCommand(args: string[], out: Output): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      source: { type: "string" },
      date: { type: "string" },
      shop: { type: "string" },
      orders: { type: "string" },
      ratings: { type: "string" },
      reviews: { type: "string" },
      config: { type: "string" },
      phrases: { type: "string" },
      profile: { type: "string" },
      window: { type: "string" },
      "time-zone": { type: "string" },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new InvalidInput("FILE", "name one file to import");
  const path = positionals[0]!;
  if (values.date !== undefined) dayOption("--date", values.date);
  const overrides = chatlogFlags(values);
  // Before the store opens (seconds, for a big roster): a missing file or a zip bomb is told at once.
  await checkExportFile(path, "FILE");
  const context = await openContext(values.config);
  const progress = progressBars();
  const onProgress = (stage: string, done: number, total: number) => progress.update(stage, done, total);
  try {
    const configured = context.loaded.config.sources.find((s) => s.id === values.source);
    const kind = configured ? configured.kind : values.source;
    if (kind !== undefined && ![...KINDS, "chatlog", "auto"].includes(kind))
      throw new InvalidInput(
        "--source",
        `"${kind}" is not chitu, jd, generic, chatlog or a configured file source`,
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
      const result = await analyseChatlog(
        {
          messages: path,
          ...(values.orders ? { orders: values.orders } : {}),
          ...(values.ratings ? { ratings: values.ratings } : {}),
          ...(values.reviews ? { reviews: values.reviews } : {}),
        },
        options,
      );
      const shopIds = await shopIndex(context.store.db);
      const batch = chatlogBatch(result, (name) => shopIds.get(name));
      const { outcome, scored } = await importAndScore(context.store.db, batch, {
        fileName: path,
        shopId,
        config: context.loaded.config,
        actor: "kpi import",
        now,
        onProgress,
      });
      progress.stop();
      report(out, path, "chatlog", outcome, scored.length, []);
      return;
    }
    const imported = await importExportFile(context.store.db, {
      path,
      ...(kind === undefined || kind === "auto" ? {} : { kind: kind as ExportKindId }),
      shopId,
      ...(values.date ? { day: values.date } : {}),
      config: context.loaded.config,
      actor: "kpi import",
      now,
      onProgress,
    });
    progress.stop();
    report(out, path, imported.kind, imported.outcome, imported.scored.length, imported.ignoredColumns);
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

/** Exit code 2 for a rejected file: the problems are the user's to fix. */
function report(
  out: Output,
  path: string,
  kind: string,
  outcome: ImportOutcome,
  periods: number,
  ignored: string[],
): void {
  if (outcome.status === "unchanged") {
    out.stdout(`${path}: already imported (import #${outcome.runId}); nothing changed`);
    return;
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
}
