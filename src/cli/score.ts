import { parseArgs } from "node:util";
import {
  adviseNextGrade,
  DEFAULT_TIME_ZONE,
  dayInZone,
  InvalidInput,
  schemeSet,
  scoreRecords,
} from "../engine/index.ts";
import { messagesFor } from "../i18n/index.ts";
import { scorecardView } from "../present/scorecard-view.ts";
import { loadScheme } from "../schemes/index.ts";
import { parseMetricFile } from "../sources/metric-file.ts";
import { readTextFile } from "../sources/text-file.ts";
import { scoreSpec } from "./command-options.ts";
import { choice, langOption, type Output } from "./options.ts";
import { periodOption } from "./period-option.ts";
import { scorecardJson } from "./render-json.ts";
import { renderTable } from "./render-table.ts";
import { scoreFromDatabase } from "./score-db.ts";

export async function scoreCommand(args: string[], out: Output): Promise<void> {
  const { values } = parseArgs({
    args,
    options: scoreSpec.options,
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
  const today = dayInZone(DEFAULT_TIME_ZONE)(Date.now());
  const period = values.period === undefined ? undefined : periodOption("--period", values.period, today);
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
