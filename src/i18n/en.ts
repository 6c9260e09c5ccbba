import type { Messages } from "./messages.ts";

export const en: Messages = {
  lang: "en",
  columns: {
    metric: "item",
    target: "target",
    actual: "actual",
    score: "score",
    weight: "weight",
    weighted: "weighted",
  },
  status: { missing: "no figure", "no-data": "no sample" },
  heading: (agent, role, period, scheme) => `${agent} · ${role} · ${period} · scheme ${scheme}`,
  seasons: (names) => `Season rules: ${names.join(", ")}`,
  summary: (total, grade, coefficient) => `Total ${total} → grade ${grade}, coefficient ${coefficient}`,
  unscorable: "Nothing could be scored this period",
  pay: (total, base, performance, bonus) =>
    `Pay ${total} (base ${base} + performance ${performance} + bonus ${bonus})`,
  lift: (metric, from, to, grade, next) => `${metric} ${from}→${to} lifts ${grade} to ${next}`,
  noSingleLift: (next, gap) => `${gap} points short of ${next}; no single item closes the gap alone`,
  topGrade: (grade) => `Already at the top grade, ${grade}`,
};
