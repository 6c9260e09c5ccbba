import { parseArgs } from "node:util";
import { adviseNextGrade, InvalidInput, parsePeriod, schemeSet, scoreRecords } from "../engine/index.ts";
import { messagesFor } from "../i18n/index.ts";
import { scorecardView } from "../present/scorecard-view.ts";
import { BUILTIN_SCHEMES, loadScheme } from "../schemes/index.ts";
import { parseMetricFile } from "../sources/metric-file.ts";
import { readTextFile } from "../sources/text-file.ts";
import { choice, langOption, type Output } from "./options.ts";
import { scorecardJson } from "./render-json.ts";
import { renderTable } from "./render-table.ts";
import { scoreFromDatabase } from "./score-db.ts";

export const scoreUsage = `kpi score --input <file> [--scheme <name|file>[,…]] [--period <period>]
          [--format table|json] [--explain] [--lang zh|en]
kpi score [--date YYYY-MM-DD] [--period day|week|month|quarter|<period>] [--agent <id|name>]
          [--format table|json] [--config <file>]

  Without --input, scores from the database: the day, week, month or quarter around --date
  (default yesterday, Asia/Shanghai), saved like the scheduled pull does, ranked; --agent shows
  one agent's whole scorecard.

  --input    per-agent figures, JSON or CSV (README, "Input files"); UTF-8 or GBK
  --scheme   built-in scheme (${BUILTIN_SCHEMES.join(", ")}) or a YAML/JSON file;
             several, comma-separated, score several roles (default: presales,aftersales,supervisor,trainee)
  --period   roll records up into this period first: 2026-11-23, 2026-W47, 2026-11, 2026-Q4
  --format   table (default) or json
  --explain  add what it takes to reach the next grade
  --lang     zh (default, or KPI_LANG) or en`;

export async function scoreCommand(args: string[], out: Output): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      input: { type: "string" },
      scheme: { type: "string" },
      period: { type: "string" },
      format: { type: "string", default: "table" },
      explain: { type: "boolean", default: false },
      lang: { type: "string" },
      date: { type: "string" },
      agent: { type: "string" },
      config: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const format = choice("--format", values.format, ["table", "json"] as const);
  if (!values.input) {
    if (values.scheme !== undefined || values.explain)
      throw new InvalidInput(
        "--scheme",
        "and --explain go with --input; from the database, schemes come from the configuration",
      );
    return scoreFromDatabase(
      {
        format,
        ...pick(values, ["date", "period", "agent", "lang", "config"]),
      },
      out,
    );
  }
  if (values.date !== undefined || values.agent !== undefined || values.config !== undefined)
    throw new InvalidInput(
      "--date",
      "--date, --agent and --config score from the database: leave out --input",
    );
  const t = messagesFor(langOption(values.lang));
  const period =
    values.period === undefined ? undefined : withOption("--period", () => parsePeriod(values.period!));
  const names = (values.scheme ?? "presales,aftersales,supervisor,trainee")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const set = schemeSet(await Promise.all(names.map(loadScheme)));
  const roles = [...set.byRole.keys()];
  const records = parseMetricFile(await readTextFile(values.input, "--input"), {
    catalogue: set.catalogue,
    source: values.input,
    ...(roles.length === 1 ? { defaultRole: roles[0]! } : {}),
    ...(period ? { defaultPeriod: period.key } : {}),
  });
  const cards = scoreRecords(set, records, period);
  const explained = cards.map((card) => {
    const scheme = set.byRole.get(card.role)!;
    const input = records.find(
      (r) => r.agent === card.agent && r.role === card.role && r.period === card.period,
    );
    const advice = values.explain && input ? adviseNextGrade(scheme, input, card) : undefined;
    return { scheme, card, advice };
  });
  if (format === "json") {
    out.stdout(
      JSON.stringify(
        explained.map(({ scheme, card, advice }) => scorecardJson(scheme, card, advice)),
        null,
        2,
      ),
    );
    return;
  }
  out.stdout(
    explained
      .map(({ scheme, card, advice }) => renderTable(scorecardView(scheme, card, t, advice), t))
      .join("\n\n"),
  );
}

function pick<K extends string>(values: Partial<Record<K, string | boolean | undefined>>, keys: K[]) {
  return Object.fromEntries(
    keys.filter((k) => typeof values[k] === "string").map((k) => [k, values[k]]),
  ) as Partial<Record<K, string>>;
}

function withOption<T>(option: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidInput) throw new InvalidInput(option, error.reason);
    throw error;
  }
}
