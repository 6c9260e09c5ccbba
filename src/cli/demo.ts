import { parseArgs } from "node:util";
import { loadDemo, yesterdayIn } from "../bot/load-demo.ts";
import { InvalidInput } from "../engine/index.ts";
import { DEMO_SHOP } from "../sources/demo/index.ts";
import { demoSpec } from "./command-options.ts";
import { openContext } from "./context.ts";
import { dayOption, type Output } from "./options.ts";
import { progressBars } from "./progress.ts";

export async function demoCommand(args: string[], out: Output): Promise<void> {
  const { values } = parseArgs({
    args,
    options: demoSpec.options,
    strict: true,
    allowPositionals: false,
  });
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 400)
    throw new InvalidInput("--days", `"${values.days}" is not a number of days from 1 to 400`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new InvalidInput("--seed", `"${values.seed}" is not an integer`);
  if (values.end !== undefined) dayOption("--end", values.end);
  const context = await openContext(values.config);
  const progress = progressBars();
  try {
    const now = context.now();
    const endDay = values.end ?? yesterdayIn(DEMO_SHOP.timeZone, now);
    const outcome = await loadDemo(context.store.db, {
      endDay,
      days,
      seed,
      actor: "kpi demo",
      now,
      onProgress: (stage, done, total) =>
        progress.update(stage === "import" ? "import" : "score", done, total),
    });
    progress.stop();
    out.stdout(
      `demo shop ${DEMO_SHOP.name}: ${outcome.agents} agents, ${days} days to ${endDay}; ` +
        `${outcome.imported} days imported, ${outcome.unchanged} unchanged, ${outcome.scorecards} scorecards`,
    );
  } finally {
    progress.stop();
    await context.close();
  }
}
