import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importExportFile } from "../../src/bot/import-file.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { parseConfig } from "../../src/config.ts";
import {
  builtinCatalogue,
  type ItemScore,
  type PeriodKind,
  parseDay,
  periodOfDay,
} from "../../src/engine/index.ts";
import { type StoredScorecard, scorecardsOf } from "../../src/store/scorecard-repo.ts";
import { type CorpusFile, importDayOf } from "../fixtures/exports/corpus/corpus-file.ts";
import {
  type ExpectedFigure,
  type ExpectedRecord,
  expectedRecords,
} from "../fixtures/exports/corpus/expected-records.ts";
import { CORPUS } from "../fixtures/exports/corpus/manifest.ts";
import { CORPUS_AGENTS, CORPUS_SUPERVISOR } from "../fixtures/exports/corpus/truth.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * Each corpus file (tests/fixtures/exports/corpus/) imported into a fresh store, which scores what
 * the import owes: every agent in the file has a card for each of its days, their weeks and
 * months, and so does the team's supervisor (scored on the team's roll-up). An item whose figures
 * came exact is scored on the numerators and denominators added up; a finished figure (a rate
 * without its count) is scored where it stands alone, and where a card has to combine it with
 * another (an agent's week, the team's day) the item is `not-combinable`, names the headers that
 * would have made it exact, scores nothing, and the rest of the card is scored.
 */

const corpusDir = join(import.meta.dirname, "../fixtures/exports/corpus");
const NOW = new Date("2026-12-05T02:00:00Z");

/** Every shop the corpus is imported into, and each agent's account there for each kind. */
const SHOP_PLATFORMS: Readonly<Record<string, string>> = { tmall: "taobao", jd: "jd", pdd: "pdd" };
const shops = [...new Set(CORPUS.map((e) => e.shop))];
const kindsIn = [...new Set(CORPUS.map((e) => `${e.shop} ${e.kind}`))].map((pair) => pair.split(" "));
const CONFIG = `
shops:
${shops.map((id) => `  - { id: ${id}, name: 星河${id}店, platform: ${SHOP_PLATFORMS[id] ?? "other"} }`).join("\n")}
teams: [{ id: t1, shop: ${shops[0]}, name: 售前一组 }]
agents:
${CORPUS_AGENTS.map((a) => {
  const accounts = kindsIn.map(([shop, kind]) => `{ shop: ${shop}, account: "${a.accounts[kind!]}" }`);
  return `  - { id: ${a.id}, name: ${a.name}, role: presales, team: t1, supervisor: ${CORPUS_SUPERVISOR.id}, accounts: [${accounts.join(", ")}] }`;
}).join("\n")}
  - { id: ${CORPUS_SUPERVISOR.id}, name: ${CORPUS_SUPERVISOR.name}, role: supervisor, team: t1 }
schemes:
  presales: [{ scheme: corpus-scheme.yaml }]
  supervisor: [{ scheme: corpus-scheme.yaml }]
`;

const PERIOD_KINDS: readonly PeriodKind[] = ["day", "week", "month"];
const periodKey = (day: string, kind: PeriodKind) => periodOfDay(parseDay(day), kind).key;

/** What a card's item must show, from the figures of the agent-days the card adds up. */
function checkItem(item: ItemScore, figures: readonly ExpectedFigure[], where: string): void {
  const at = `${where} ${item.metric}`;
  if (figures.length === 0) {
    expect(item.status, at).toBe("missing");
    return;
  }
  const finished = figures.filter((f) => "finished" in f);
  if (figures.length > 1 && finished.length > 0) {
    expect({ status: item.status, actual: item.actual, score: item.score }, at).toEqual({
      status: "not-combinable",
      actual: null,
      score: null,
    });
    const needs = [...new Set(finished.flatMap((f) => ("finished" in f ? f.needs : [])))];
    if (needs.length > 0) expect([...(item.needs ?? [])].sort(), at).toEqual(needs.sort());
    return;
  }
  const [only] = figures;
  let actual: number;
  if (only && "finished" in only) actual = only.finished;
  else {
    const exact = figures.map((f) => ("exact" in f ? f.exact : { num: Number.NaN, den: Number.NaN }));
    const num = exact.reduce((sum, f) => sum + f.num, 0);
    const den = exact.reduce((sum, f) => sum + f.den, 0);
    const aggregation = builtinCatalogue.get(item.metric)!.aggregation;
    actual = aggregation === "count" || aggregation === "amount" ? num : num / den;
  }
  expect(item.status, at).toBe("scored");
  expect(item.actual, at).toBeCloseTo(actual, 9);
}

function checkCard(stored: StoredScorecard, records: readonly ExpectedRecord[], where: string): void {
  for (const item of stored.card.items)
    checkItem(
      item,
      records.flatMap((r) => r.values[item.metric] ?? []),
      where,
    );
}

async function importAndCheck(kind: (typeof STORE_KINDS)[number], entry: CorpusFile): Promise<void> {
  const store = await openTestStore(kind);
  try {
    const config = parseConfig(CONFIG, "test");
    await syncConfig(store.db, { config, origin: "test", baseDir: corpusDir }, NOW);
    const day = importDayOf(entry);
    const imported = await importExportFile(store.db, {
      path: join(corpusDir, entry.file),
      shopId: entry.shop,
      ...(day ? { day } : {}),
      config,
      actor: "test",
      now: NOW,
    });
    expect(imported.outcome.status).toBe("done");
    expect(imported.kind).toBe(entry.kind);
    expect(imported.notScored).toEqual([]);

    const records = expectedRecords(entry);
    for (const periodKind of PERIOD_KINDS) {
      for (const key of new Set(records.map((r) => periodKey(r.day, periodKind)))) {
        const inPeriod = records.filter((r) => periodKey(r.day, periodKind) === key);
        const cards = new Map((await scorecardsOf(store.db, periodKind, key)).map((s) => [s.card.agent, s]));
        for (const agentId of new Set(inPeriod.map((r) => r.agentId))) {
          const own = inPeriod.filter((r) => r.agentId === agentId);
          const stored = cards.get(agentId);
          expect(stored, `${agentId} ${key}`).toBeDefined();
          checkCard(stored!, own, `${agentId} ${key}`);
          const items = new Set(stored!.card.items.map((i) => i.metric));
          const pending = new Set(own.flatMap((r) => r.pending).filter((id) => items.has(id)));
          expect([...stored!.pending].sort(), `${agentId} ${key} pending`).toEqual([...pending].sort());
        }
        const lead = cards.get(CORPUS_SUPERVISOR.id);
        expect(lead?.card.teamLead, `${CORPUS_SUPERVISOR.id} ${key}`).toBe(true);
        checkCard(lead!, inPeriod, `${CORPUS_SUPERVISOR.id} ${key}`);
      }
    }
  } finally {
    await store.close();
  }
}

describe.each(STORE_KINDS)("the export corpus imported and scored on %s", (kind) => {
  // Each PostgreSQL test has a database of its own; PGlite's one in-memory store is shared, in turn.
  const each = kind === "postgres" ? it.concurrent.each(CORPUS) : it.each(CORPUS);
  each("$file: a card for every agent, day, week and month, each figure scored as it came", (entry) =>
    importAndCheck(kind, entry),
  );
});
