import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type ChatlogOptions, InvalidInput, type MetricFamily, PROFILES } from "../engine/index.ts";
import { messagesFor } from "../i18n/index.ts";
import { defaultThreads } from "../sources/chatlog-parallel.ts";
import { analyseChatlog } from "../sources/chatlog-source.ts";
import { choice, langOption, type Output } from "./options.ts";
import { agentDaysCsv, agentDaysTable } from "./render-metrics.ts";

export const metricsUsage = `kpi metrics --messages <file> [--orders <file>] [--ratings <file>] [--reviews <file>]
          [--window 2] [--profile generic|jd|taobao|pdd|<shop>=<profile>,…] [--time-zone Asia/Shanghai]
          [--phrases <file>] [--session-gap 1000000] [--threads N] [--only families] [--format table|json|csv] [--lang zh|en]

  --messages     raw chat log, CSV or JSON Lines (docs/chatlog.md); orders, ratings, reviews likewise
  --window       attribution window for conversion, in days (default 2)
  --profile      platform rules, for every shop or per shop: jd, or 旗舰店=jd,专卖店=taobao
  --phrases      forbidden phrases, one per line (default: the documents' 不知道, 随便你, 绝对正品 …)
  --session-gap  a session is complete once none of its lines came for this many lines
  --threads      cores to read a large CSV with (default: all, up to 8)
  --only         families to compute: response,resolution,concurrency,sales,feedback (default all);
                 response alone keeps memory to what open sessions hold
  --format       table (default), json (figures, facts and stats) or csv (the figures file kpi score reads)`;

function readProfiles(value: string | undefined): Pick<ChatlogOptions, "profile" | "shopProfiles"> {
  if (!value) return {};
  const shopProfiles: Record<string, string> = {};
  let profile: string | undefined;
  for (const part of value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [shop, name] = part.includes("=") ? (part.split("=", 2) as [string, string]) : [undefined, part];
    if (!PROFILES[name.trim()])
      throw new InvalidInput("--profile", `"${name}" is not one of ${Object.keys(PROFILES).join(", ")}`);
    if (shop === undefined) profile = name.trim();
    else shopProfiles[shop.trim()] = name.trim();
  }
  return { ...(profile ? { profile } : {}), shopProfiles };
}

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
    options: {
      messages: { type: "string" },
      orders: { type: "string" },
      ratings: { type: "string" },
      reviews: { type: "string" },
      window: { type: "string" },
      profile: { type: "string" },
      "time-zone": { type: "string" },
      phrases: { type: "string" },
      "session-gap": { type: "string" },
      threads: { type: "string" },
      only: { type: "string" },
      format: { type: "string", default: "table" },
      lang: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.messages) throw new InvalidInput("--messages", "is required: the chat log to read");
  const format = choice("--format", values.format, ["table", "json", "csv"] as const);
  const t = messagesFor(langOption(values.lang));
  const window = positiveInteger("--window", values.window);
  const gap = positiveInteger("--session-gap", values["session-gap"]);
  const threads = positiveInteger("--threads", values.threads) ?? defaultThreads();
  const phrases = values.phrases
    ? (await readFile(values.phrases, "utf8"))
        .split(/\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean)
    : undefined;
  const options: ChatlogOptions = {
    ...readProfiles(values.profile),
    ...(values["time-zone"] ? { timeZone: values["time-zone"] } : {}),
    ...(window ? { windowDays: window } : {}),
    ...(gap ? { sessionGap: gap } : {}),
    ...(phrases ? { forbiddenPhrases: phrases } : {}),
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
  else out.stdout(agentDaysTable(result, t));
}
