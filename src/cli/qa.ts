import { writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { resolvePeriod } from "../bot/commands/period-asked.ts";
import { DEFAULT_TIME_ZONE, dayInZone, dayKey, InvalidInput } from "../engine/index.ts";
import { qaReport } from "../qa/qa-report.ts";
import { qaSpec } from "./command-options.ts";
import { openContext } from "./context.ts";
import { choice, langOption, type Output } from "./options.ts";
import { periodOption } from "./period-option.ts";
import { qaReportCsv, qaReportJson, qaReportTable, writeQaReportXlsx } from "./qa-report-render.ts";

/**
 * `kpi qa`: the 质检报告 of a period (last week by default), per agent and per team, from the
 * reviews and ratings stored; printed, or exported to xlsx or CSV. Beside a running bot it reads
 * through the bot's embedded socket, as `kpi score` does.
 */
export async function qaCommand(args: string[], out: Output): Promise<void> {
  const { values } = parseArgs({ args, options: qaSpec.options, strict: true, allowPositionals: false });
  const format = choice("--format", values.format, ["table", "csv", "json"] as const);
  const lang = langOption(values.lang);
  const exportKind = values.export === undefined ? undefined : exportKindOf(values.export);
  const context = await openContext(values.config);
  try {
    const now = context.now();
    const today = dayInZone(DEFAULT_TIME_ZONE)(now.getTime());
    const period =
      values.period === undefined
        ? resolvePeriod({ word: "last-week" }, today)
        : periodOption("--period", values.period, today);
    const report = await qaReport(context.store.db, {
      from: dayKey(period.first),
      to: dayKey(period.last),
      rubric: context.loaded.config.qa.rubric,
      now,
      ...(values.team === undefined ? {} : { team: values.team }),
      ...(values.agent === undefined ? {} : { agent: values.agent }),
    });
    if (values.export !== undefined) {
      if (exportKind === "xlsx") await writeQaReportXlsx(report, lang, values.export);
      else await writeFile(values.export, `\uFEFF${qaReportCsv(report, lang)}\n`);
      out.stderr(`${values.export}: ${report.agents.length} agents, ${report.teams.length} teams`);
    }
    if (values.export === undefined || values.format !== "table")
      out.stdout(
        format === "json"
          ? qaReportJson(report)
          : format === "csv"
            ? qaReportCsv(report, lang)
            : qaReportTable(report, lang),
      );
  } finally {
    await context.close();
  }
}

function exportKindOf(path: string): "xlsx" | "csv" {
  const ext = extname(path).toLowerCase();
  if (ext === ".xlsx") return "xlsx";
  if (ext === ".csv") return "csv";
  throw new InvalidInput("--export", `"${path}" is neither a .xlsx nor a .csv file`);
}
