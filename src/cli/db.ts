import { parseArgs } from "node:util";
import { checkDb, type DbCheck, repairDb } from "../bot/db-check.ts";
import { InvalidInput } from "../engine/index.ts";
import { dbSpec } from "./command-options.ts";
import { openContext } from "./context.ts";
import type { Output } from "./options.ts";
import { progressBars } from "./progress.ts";

export async function dbCommand(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: dbSpec.options,
    strict: true,
    allowPositionals: true,
  });
  const action = positionals.length === 1 ? positionals[0] : undefined;
  if (action !== "migrate" && action !== "check")
    throw new InvalidInput(
      "db",
      `say what to do: kpi db migrate, or kpi db check (got "${positionals.join(" ")}")`,
    );
  if (values.repair && action !== "check") throw new InvalidInput("--repair", "goes with kpi db check");
  const context = await openContext(values.config);
  try {
    out.stdout(`database ${context.store.kind} (${context.store.location}) is up to date`);
    if (action === "migrate") return 0;
    if (!values.repair) {
      const check = await checkDb(context.store.db);
      report(out, check);
      return check.owed.length + check.mismatches.length > 0 ? 1 : 0;
    }
    const progress = progressBars();
    const repair = await repairDb(context.store.db, {
      actor: "kpi db check --repair",
      now: context.now(),
      onProgress: (done, total) => progress.update("score", done, total),
    });
    progress.stop();
    report(out, repair.before);
    const cards = repair.drained.scored.reduce((n, s) => n + s.cardCount, 0);
    out.stdout(`repaired: ${repair.drained.scored.length} periods scored, ${cards} cards written`);
    for (const { periodKey, error } of repair.drained.failed)
      out.stderr(`scoring ${periodKey} failed: ${error instanceof Error ? error.message : String(error)}`);
    out.stdout("after the repair:");
    report(out, repair.after);
    return repair.after.owed.length + repair.after.mismatches.length > 0 ? 1 : 0;
  } finally {
    await context.close();
  }
}

function report(out: Output, check: DbCheck): void {
  if (check.owed.length === 0) out.stdout("owed re-scores: none");
  else {
    const oldest = check.owed.reduce((a, b) => (a.owedSince <= b.owedSince ? a : b));
    out.stdout(
      `owed re-scores: ${check.owed.length} periods, the oldest owed since ${oldest.owedSince.toISOString()} ` +
        `(${oldest.reason}): ${check.owed.map((o) => o.periodKey).join(", ")}`,
    );
  }
  if (check.mismatches.length === 0) out.stdout("cards that do not match their figures: none");
  else {
    out.stdout("cards that do not match their figures:");
    for (const m of check.mismatches)
      out.stdout(
        `  ${m.periodKey} ${m.role}: ${m.missing} agents without a card, ${m.stale} cards older than their figures`,
      );
  }
  for (const m of check.unscorable)
    out.stdout(
      `  (${m.periodKey} ${m.role}: ${m.missing} agents with figures and no scheme for their role: not scored)`,
    );
}
