import { parseArgs } from "node:util";
import { yesterdayIn } from "../bot/load-demo.ts";
import { describePull, pull } from "../bot/pull.ts";
import { DEFAULT_TIME_ZONE, dayKey, InvalidInput, parseDay } from "../engine/index.ts";
import { pullSpec } from "./command-options.ts";
import { openContext } from "./context.ts";
import { dayOption, type Output } from "./options.ts";

export async function pullCommand(args: string[], out: Output): Promise<void> {
  const { values } = parseArgs({
    args,
    options: pullSpec.options,
    strict: true,
    allowPositionals: false,
  });
  if (values.date !== undefined) dayOption("--date", values.date);
  const context = await openContext(values.config);
  try {
    if (context.loaded.config.sources.length === 0)
      throw new InvalidInput("--config", `${context.loaded.origin} has no sources to pull`);
    const now = context.now();
    const today = dayKey(parseDay(yesterdayIn(DEFAULT_TIME_ZONE, now)) + 1);
    const reports = await pull(context.store.db, context.loaded, {
      runDay: today,
      ...(values.date ? { figuresDay: values.date } : {}),
      ...(values.source ? { sourceIds: values.source.split(",").map((s) => s.trim()) } : {}),
      actor: "kpi pull",
      now,
    });
    out.stdout(reports.map(describePull).join("\n"));
    const failed = reports.filter((r) => r.status === "failed" || r.status === "rejected");
    if (failed.length > 0)
      throw new InvalidInput("pull", `${failed.length} of ${reports.length} pulls did not import`);
  } finally {
    await context.close();
  }
}
