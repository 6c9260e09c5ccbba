/**
 * Issue 16's month: a 10,000-agent × 31-day Chitu export (bench/import/generate.ts) imported by
 * `kpi import` on PostgreSQL (a throwaway server it starts itself), once to its end and once
 * `kill -9`ed after the figures are committed, while it scores the periods they touched; then
 * `kpi db check` (exit 1, the periods still owed), `kpi db check --repair` and `kpi db check`
 * again (exit 0), and every card compared with the unkilled import's. Prints the times; the test
 * tests/crash/big-import-kill.test.ts runs the same with two days.
 *
 *   npm run build && npx tsx bench/crash/big-import.ts [--agents 10000] [--days 31]
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import {
  bigExport,
  compareCards,
  importArgs,
  importKilledWhileScoring,
  kpiOn,
  owedKeys,
} from "../../tests/crash/big-import.ts";
import { startPostgres, withDatabase } from "../../tests/support/postgres.ts";

const { values: args } = parseArgs({
  options: { agents: { type: "string", default: "10000" }, days: { type: "string", default: "31" } },
});
const agents = Number(args.agents);
const days = Number(args.days);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

console.log(
  `kill -9 during a ${agents.toLocaleString("en-US")}-agent × ${days}-day import on PostgreSQL ` +
    `(npx tsx bench/crash/big-import.ts --agents ${agents} --days ${days})`,
);
const data = bigExport(agents, days);
const server = await startPostgres();
const database = async () => {
  const name = `kpi_big_${randomBytes(4).toString("hex")}`;
  await withDatabase(server.url, (sql) => sql.unsafe(`CREATE DATABASE ${name}`));
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
};
let failed = false;
try {
  const unkilled = await database();
  const reference = await kpiOn(data, unkilled, importArgs(data));
  if (reference.code !== 0) throw new Error(`the import without a kill failed: ${reference.stderr}`);
  console.log(`import without a kill (figures and every period scored): ${secs(reference.ms)}`);
  console.log(`  ${reference.stdout.trim().split("\n")[0]}`);

  const killed = await database();
  const crash = await importKilledWhileScoring(data, killed);
  const owed = await owedKeys(killed);
  console.log(
    `import killed after ${secs(crash.run.ms)}: figures committed, ${crash.atKill.carded} periods with cards, ` +
      `${owed.length} periods still owed`,
  );
  const check = await kpiOn(data, killed, ["db", "check"]);
  console.log(`kpi db check: exit ${check.code}, ${secs(check.ms)}`);
  const repair = await kpiOn(data, killed, ["db", "check", "--repair"]);
  console.log(
    `kpi db check --repair: exit ${repair.code}, ${secs(repair.ms)}; ${/repaired: .*/.exec(repair.stdout)?.[0] ?? repair.stderr}`,
  );
  const after = await kpiOn(data, killed, ["db", "check"]);
  console.log(`kpi db check after the repair: exit ${after.code}, ${secs(after.ms)}`);
  const cards = await compareCards(killed, unkilled);
  console.log(
    `cards: ${cards.cards.toLocaleString("en-US")} after the repair, ${cards.expected.toLocaleString("en-US")} ` +
      `without a kill; totals or grades differ: ${cards.totals.length}; cards differ (in any bit): ` +
      `${cards.cardsDiffering.length}`,
  );
  for (const line of [...cards.totals, ...cards.cardsDiffering].slice(0, 10)) console.log(`  ${line}`);
  const differ = cards.totals.length + cards.cardsDiffering.length + Math.abs(cards.cards - cards.expected);
  failed = check.code !== 1 || repair.code !== 0 || after.code !== 0 || differ > 0;
} finally {
  await server.stop();
  data.remove();
}
process.exitCode = failed ? 1 : 0;
