/**
 * Precision and recall of the forbidden-phrase rules on the labelled replies
 * (tests/fixtures/phrases/labelled.csv): prints the table of docs/chatlog.md, then every reply
 * each configuration gets wrong.
 *
 *   npx tsx bench/phrases/run.ts
 */
import { configurations, measure, phraseTable, readLabelled } from "./measure.ts";

const replies = readLabelled();
const results = configurations().map((c) => measure(c, replies));
const by = (category: string) => replies.filter((r) => r.category === category).length;
console.log(
  `${replies.length} labelled replies: ${by("polite")} polite uses, ${by("violation")} true violations, ${by("near-miss")} near misses\n`,
);
console.log(phraseTable(results));
for (const r of results) {
  const wrong = r.judged.filter((j) => j.expected !== j.hit);
  console.log(`\n${r.configuration}: ${wrong.length} wrong`);
  for (const j of wrong)
    console.log(
      `  ${j.hit ? "false hit" : "missed   "} [${j.reply.category}] ${j.reply.phrase || "—"}: ${j.reply.text}`,
    );
}
