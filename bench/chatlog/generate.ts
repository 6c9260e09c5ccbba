/**
 * A realistic, deterministic chat-log data set for the chat-log benchmark (docs/chatlog.md):
 * messages, orders, ratings and reviews of Taobao/JD/Pinduoduo shop agents over a period with
 * the daily curve and the Double 11 peaks. The same options give byte-identical files.
 *
 *   npx tsx bench/chatlog/generate.ts --out <dir> [--messages 10000000] [--agents 200] [--shops 3]
 *     [--days 30] [--start 2026-10-25] [--seed 1] [--format csv|jsonl|both] [--order time|session]
 *
 * The parts: generate-timeline.ts (how many sessions when, customers coming back, orders,
 * ratings, reviews), generate-session.ts (one session's lines), generate-output.ts (files),
 * generate-people.ts, generate-texts.ts, generate-calendar.ts, generate-random.ts.
 */
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { localMidnight } from "./generate-calendar.ts";
import { ChatlogOutput, type Format, type LineOrder } from "./generate-output.ts";
import { buildShops } from "./generate-people.ts";
import { type Counts, Timeline } from "./generate-timeline.ts";

export type { Format, LineOrder } from "./generate-output.ts";

export interface GenerateChatlogOptions {
  /** Directory for the files (created if missing). */
  out: string;
  /** Message lines to generate; the last session is completed, so a few more (default 10,000,000). */
  messages?: number | undefined;
  /** Agents over all shops (default 200). */
  agents?: number | undefined;
  /** Shops, one per platform in turn: Taobao, JD, Pinduoduo (default 3). */
  shops?: number | undefined;
  /** Days of data (default 30). */
  days?: number | undefined;
  /** First day, YYYY-MM-DD, shop-local +08:00 (default 2026-10-25: the period covers Double 11). */
  start?: string | undefined;
  seed?: number | undefined;
  /** csv: messages.csv; jsonl: messages.jsonl; both: both. Orders, ratings, reviews always as CSV, also as JSONL unless csv. */
  format?: Format | undefined;
  /** time: sorted by ts (sessions interleaved); session: grouped by session, ~1% of lines out of order. */
  order?: LineOrder | undefined;
}

export interface ChatlogSummary extends Counts {
  /** Path of each written file by its name (messages.csv, orders.csv …). */
  files: Record<string, string>;
  /** Bytes written over all files. */
  bytes: number;
}
export type Summary = ChatlogSummary;

export const GENERATE_DEFAULTS = {
  messages: 10_000_000,
  agents: 200,
  shops: 3,
  days: 30,
  start: "2026-10-25",
  seed: 1,
  format: "csv",
  order: "time",
} as const satisfies Omit<Required<GenerateChatlogOptions>, "out">;

type Settings = {
  out: string;
  messages: number;
  agents: number;
  shops: number;
  days: number;
  start: string;
  seed: number;
  format: Format;
  order: LineOrder;
};

export async function generateChatlog(options: GenerateChatlogOptions): Promise<ChatlogSummary> {
  const settings = checkOptions(options);
  const origin = localMidnight(settings.start);
  await mkdir(settings.out, { recursive: true });
  const output = new ChatlogOutput(settings.out, settings.format, settings.order, origin, settings.seed);
  const timeline = new Timeline(
    {
      messages: settings.messages,
      days: settings.days,
      origin,
      seed: settings.seed,
      shops: buildShops(settings.shops, settings.agents),
    },
    output,
  );
  let counts: Counts;
  try {
    counts = await timeline.run();
  } catch (error) {
    await output.close().catch(() => undefined);
    throw error;
  }
  const { files, bytes } = await output.close();
  return { ...counts, files, bytes };
}

function checkOptions(options: GenerateChatlogOptions): Settings {
  const settings: Settings = {
    out: options.out,
    messages: options.messages ?? GENERATE_DEFAULTS.messages,
    agents: options.agents ?? GENERATE_DEFAULTS.agents,
    shops: options.shops ?? GENERATE_DEFAULTS.shops,
    days: options.days ?? GENERATE_DEFAULTS.days,
    start: options.start ?? GENERATE_DEFAULTS.start,
    seed: options.seed ?? GENERATE_DEFAULTS.seed,
    format: options.format ?? GENERATE_DEFAULTS.format,
    order: options.order ?? GENERATE_DEFAULTS.order,
  };
  if (!settings.out) throw new Error("out: a directory is needed");
  for (const name of ["messages", "agents", "shops", "days"] as const) {
    if (!Number.isInteger(settings[name]) || settings[name] < 1)
      throw new Error(`${name}: ${settings[name]} is not a whole number ≥ 1`);
  }
  if (settings.agents < settings.shops)
    throw new Error(`agents: every one of the ${settings.shops} shops needs one`);
  if (!Number.isFinite(settings.seed)) throw new Error(`seed: ${settings.seed} is not a number`);
  if (!["csv", "jsonl", "both"].includes(settings.format))
    throw new Error(`format: ${settings.format} is not csv, jsonl or both`);
  if (!["time", "session"].includes(settings.order))
    throw new Error(`order: ${settings.order} is not time or session`);
  return settings;
}

/** The command line: options as in the header comment; prints a one-line summary. */
async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      messages: { type: "string" },
      agents: { type: "string" },
      shops: { type: "string" },
      days: { type: "string" },
      start: { type: "string" },
      seed: { type: "string" },
      format: { type: "string" },
      order: { type: "string" },
    },
    strict: true,
  });
  if (values.out === undefined) throw new Error("usage: generate.ts --out <dir> [--messages N] …");
  const number = (text: string | undefined) =>
    text === undefined ? undefined : Number(text.replaceAll("_", ""));
  const began = performance.now();
  const summary = await generateChatlog({
    out: values.out,
    messages: number(values.messages),
    agents: number(values.agents),
    shops: number(values.shops),
    days: number(values.days),
    start: values.start,
    seed: number(values.seed),
    format: values.format as Format | undefined,
    order: values.order as LineOrder | undefined,
  });
  const seconds = (performance.now() - began) / 1000;
  console.log(
    `messages=${summary.messages} sessions=${summary.sessions} customers=${summary.customers} orders=${summary.orders} ` +
      `ratings=${summary.ratings} reviews=${summary.reviews} bytes=${summary.bytes} seconds=${seconds.toFixed(1)} ` +
      `out=${resolve(values.out)}`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
