/**
 * Engine throughput: 100,000 agent-periods × 10 items scored against a 10-item scheme with
 * category targets, as the monthly run of a large outsourced team would be. Prints item scores
 * per second (median of several runs). Run: npm run bench:engine
 */
import { type AgentPeriod, buildScheme, type MetricValues, scoreAgent } from "../src/engine/index.ts";

const AGENTS = Number(process.env.AGENTS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 7);

const items = [
  ["conversion_rate", "15%"],
  ["aov_uplift", "5%"],
  ["cross_sell_rate", "20%"],
  ["first_response_time", "30s"],
  ["receptions", 200],
  ["csat_rate", "90%"],
  ["resolution_rate", "85%"],
  ["attendance_rate", "98%"],
  ["training_participation", "100%"],
  ["long_wait_count", 0],
] as const;

const scheme = buildScheme({
  name: "bench",
  itemCap: 120,
  roles: {
    presales: {
      items: items.map(([metric, target], i) => ({
        metric,
        target: i === 0 ? { default: target, category: { home: "10%" } } : target,
        weight: 10,
      })),
    },
  },
});

// A small deterministic generator, so every run scores the same figures.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

function agentValues(): MetricValues {
  const sessions = 1000 + Math.floor(random() * 5000);
  return {
    conversion_rate: { num: Math.floor(sessions * (0.05 + random() * 0.2)), den: sessions },
    aov_uplift: { num: 0, den: 1, finished: true },
    cross_sell_rate: { num: Math.floor(sessions * random() * 0.3), den: sessions },
    first_response_time: { num: sessions * (10 + random() * 40), den: sessions },
    receptions: { num: sessions, den: 22 },
    csat_rate: { num: Math.floor(sessions * 0.1 * (0.8 + random() * 0.2)), den: Math.floor(sessions * 0.1) },
    resolution_rate: { num: Math.floor(sessions * (0.7 + random() * 0.3)), den: sessions },
    attendance_rate: { num: 20 + Math.floor(random() * 3), den: 22 },
    training_participation: { num: 1, den: 1 },
    long_wait_count: { num: Math.floor(random() * 3), den: 22 },
  };
}

const inputs: AgentPeriod[] = Array.from({ length: AGENTS }, (_, i) => ({
  agent: `agent-${i}`,
  role: "presales",
  period: "2026-11",
  ...(i % 3 === 0 ? { category: "home" } : {}),
  values: agentValues(),
}));
for (const input of inputs) input.values.aov_uplift = { num: random() * 0.1 - 0.02, den: 1, finished: true };

let checksum = 0;
const times: number[] = [];
for (let run = 0; run < RUNS + 1; run++) {
  const start = process.hrtime.bigint();
  for (const input of inputs) checksum += scoreAgent(scheme, input).total ?? 0;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run > 0) times.push(ms); // the first run warms the JIT up
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const itemScores = AGENTS * items.length;
console.log(
  `engine: ${AGENTS.toLocaleString()} agent-periods × ${items.length} items = ${itemScores.toLocaleString()} item scores`,
);
console.log(`  median ${median.toFixed(1)} ms (best ${times[0]!.toFixed(1)} ms) over ${RUNS} runs`);
console.log(
  `  ${Math.round(itemScores / (median / 1000)).toLocaleString()} item scores/s (target ≥ 5,000,000)`,
);
console.log(`  node ${process.version}, checksum ${checksum.toFixed(2)}`);
