import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { type ChatlogOptions, InvalidInput, type MetricFamily } from "../engine/index.ts";
import { messagesFor } from "../i18n/index.ts";
import { chatlogFlags, chatlogOptions } from "../sources/chatlog-options.ts";
import { defaultThreads } from "../sources/chatlog-parallel.ts";
import { analyseChatlog } from "../sources/chatlog-source.ts";
import { metricsSpec } from "./command-options.ts";
import { choice, langOption, type Output } from "./options.ts";
import { agentDaysCsv, agentDaysTable } from "./render-metrics.ts";

function positiveInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidInput(option, `"${value}" is not a whole number of at least 1`);
  return n;
}

export async function metricsCommand(args: string[], out: Output): Promise<void> {
  const { values } = parseArgs({
    args,
    options: metricsSpec.options,
    strict: true,
    allowPositionals: false,
  });
  if (!values.messages) throw new InvalidInput("--messages", "is required: the chat log to read");
  const format = choice("--format", values.format, ["table", "json", "csv"] as const);
  const t = messagesFor(langOption(values.lang));
  const overrides = chatlogFlags(values);
  const threads = positiveInteger("--threads", values.threads) ?? defaultThreads();
  // The configuration only: kpi metrics never opens the database.
  const loaded = await loadConfig(values.config);
  const options: ChatlogOptions = {
    ...(await chatlogOptions(
      { settings: loaded.config.chatlog, shops: loaded.config.shops, baseDir: loaded.baseDir },
      overrides,
    )),
    ...(values.only ? { only: values.only.split(",").map((f) => f.trim()) as MetricFamily[] } : {}),
  };
  const result = await analyseChatlog(
    {
      messages: values.messages,
      ...(values.orders ? { orders: values.orders } : {}),
      ...(values.ratings ? { ratings: values.ratings } : {}),
      ...(values.reviews ? { reviews: values.reviews } : {}),
    },
    options,
    threads,
  );
  if (result.problemCount > 0) {
    const lines = result.problems.map((p) => `  ${p.file}:${p.line}: ${p.reason}`);
    const more = result.problemCount - result.problems.length;
    if (more > 0) lines.push(`  … and ${more} more`);
    const n = result.problemCount;
    throw new InvalidInput(
      "",
      `${n} bad line${n === 1 ? "" : "s"}, so nothing was counted; fix them and run again:\n${lines.join("\n")}`,
    );
  }
  if (format === "json")
    out.stdout(
      JSON.stringify({ agentDays: result.agentDays, facts: result.facts, stats: result.stats }, null, 2),
    );
  else if (format === "csv") out.stdout(agentDaysCsv(result.agentDays));
  else out.stdout(await agentDaysTable(result, t));
}
