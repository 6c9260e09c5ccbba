/**
 * `npm run bench:gaming`: precision and recall of the gaming detectors on generated logs
 * (measure.ts), printed as the table docs/gaming.md records. Flags: --seed N (default 19),
 * --honest N honest agents (default 200: 1,000 honest agent-weeks), --gamers N per kind and
 * strength (default 10).
 */
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { runBench } from "./measure.ts";
import { markdownTable, TARGETS, tableLines } from "./table.ts";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "19" },
    honest: { type: "string", default: "200" },
    gamers: { type: "string", default: "10" },
  },
});
const seed = Number(values.seed);
const honestAgents = Number(values.honest);
const gamersPerCell = Number(values.gamers);
const started = performance.now();
const judged = runBench({ seed, honestAgents, gamersPerCell });
const seconds = (performance.now() - started) / 1000;
const { lines, allMet } = tableLines(judged);
const honestWeeks = judged.filter((w) => !w.planted).length;
const gamerWeeks = judged.length - honestWeeks;

console.log(
  `seed ${seed}; ${honestAgents} honest agents (${honestWeeks} agent-weeks judged), ${gamersPerCell} gamers per kind and strength (${gamerWeeks} agent-weeks); ${seconds.toFixed(1)} s on ${cpus()[0]?.model ?? "?"} (${cpus().length} cores), ${new Date().toISOString().slice(0, 10)}`,
);
console.log(
  `targets: false alerts ≤ ${TARGETS.falseAlertsPer100} per 100 honest agent-weeks, precision ≥ ${TARGETS.precision}, recall ≥ ${TARGETS.blatantRecall} blatant and ≥ ${TARGETS.moderateRecall} moderate (figure_jump's recall reported only)\n`,
);
console.log(markdownTable(lines));
console.log(`\n${allMet ? "all targets met" : "some targets NOT met"}`);
process.exitCode = allMet ? 0 : 1;
