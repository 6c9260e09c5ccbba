import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { generateConfig, generateExport, SHOP } from "../../bench/import/generate.ts";
import { embeddedEnv } from "../support/kpi-process.ts";
import { withDatabase } from "../support/postgres.ts";
import { type KpiRun, runKpiChild } from "./kpi-child.ts";

/**
 * A big shop's Chitu export (bench/import/generate.ts: `agents` agents × `days` days from
 * 2026-12-01, a configuration naming every agent in teams of 100 with a supervisor each)
 * imported by `kpi import` on PostgreSQL, and the same import killed after its figures are
 * committed, while it scores the periods they touched.
 */

export interface BigExport {
  dir: string;
  file: string;
  remove(): void;
}

export function bigExport(agents: number, days: number): BigExport {
  const dir = mkdtempSync(join(tmpdir(), "kpi-crash-big-"));
  const file = join(dir, "chitu-export.csv");
  writeFileSync(file, generateExport({ agents, days }));
  writeFileSync(join(dir, "kpi.config.yaml"), generateConfig({ agents, days }));
  return { dir, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const kpiOn = (
  data: BigExport,
  url: string,
  args: string[],
  options: Partial<Parameters<typeof runKpiChild>[1]> = {},
) =>
  runKpiChild(args, {
    cwd: data.dir,
    env: embeddedEnv({ DATABASE_URL: url, KPI_LOG_LEVEL: "warn" }),
    ...options,
  });

export const importArgs = (data: BigExport) => ["import", data.file, "--shop", SHOP.id];

interface Progress {
  done: number;
  owed: number;
  carded: number;
}

async function progress(sql: postgres.Sql): Promise<Progress> {
  const [row] = await sql<Progress[]>`SELECT
    (SELECT count(*)::int FROM import_runs WHERE status = 'done') AS done,
    (SELECT count(*)::int FROM owed_scoring) AS owed,
    (SELECT count(DISTINCT period_key)::int FROM scorecards) AS carded`;
  return row!;
}

/**
 * `kpi import` killed once its figures are committed and at least one of the periods they
 * touched is scored (its debt settled), with others still owed: the moment a crash leaves cards
 * older than their figures. The state then.
 */
export async function importKilledWhileScoring(
  data: BigExport,
  url: string,
): Promise<{ run: KpiRun; atKill: Progress }> {
  let atKill: Progress = { done: 0, owed: 0, carded: 0 };
  let mostOwed = 0;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const run = await kpiOn(data, url, importArgs(data), {
      async killWhen(child) {
        for (;;) {
          if (child.exited()) return false;
          // The tables appear with the first migration; until then there is nothing to read.
          const now = await progress(sql).catch(() => undefined);
          mostOwed = Math.max(mostOwed, now?.owed ?? 0);
          if (now && now.done > 0 && now.owed > 0 && now.owed < mostOwed && now.carded > 0) {
            atKill = now;
            return true;
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
    });
    return { run, atKill };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export interface CardComparison {
  cards: number;
  expected: number;
  /** Cards whose total or grade differ, or that only one side has. */
  totals: string[];
  /** Cards that differ anywhere, to the last bit of a number. */
  cardsDiffering: string[];
}

/**
 * Every card of `url` against those of `expectedUrl`, period by period, to the last bit: the same
 * figures give the same cards, whatever order the database returns them in.
 */
export async function compareCards(url: string, expectedUrl: string): Promise<CardComparison> {
  const out: CardComparison = { cards: 0, expected: 0, totals: [], cardsDiffering: [] };
  const read = (from: string, period: string) =>
    withDatabase(from, async (sql) => {
      const rows = await sql<{ agent: string; total: number | null; grade: string | null; card: string }[]>`
        SELECT agent_id AS agent, total, grade, card::text AS card FROM scorecards WHERE period_key = ${period}`;
      return new Map(rows.map((r) => [r.agent, r]));
    });
  const periodsOf = (from: string) =>
    withDatabase(from, async (sql) =>
      (await sql<{ key: string }[]>`SELECT DISTINCT period_key AS key FROM scorecards`).map((r) => r.key),
    );
  const keys = [...new Set([...(await periodsOf(url)), ...(await periodsOf(expectedUrl))])].sort();
  for (const period of keys) {
    const [got, want] = [await read(url, period), await read(expectedUrl, period)];
    out.cards += got.size;
    out.expected += want.size;
    for (const agent of new Set([...got.keys(), ...want.keys()])) {
      const [a, b] = [got.get(agent), want.get(agent)];
      const name = `${agent} ${period}`;
      if (!a || !b || a.total !== b.total || a.grade !== b.grade) {
        out.totals.push(
          `${name}: ${a?.total ?? "-"} ${a?.grade ?? "-"} vs ${b?.total ?? "-"} ${b?.grade ?? "-"}`,
        );
        continue;
      }
      if (a.card !== b.card) out.cardsDiffering.push(name);
    }
  }
  return out;
}

/** Owed periods as the database has them. */
export async function owedKeys(url: string): Promise<string[]> {
  return withDatabase(url, async (sql) =>
    (await sql<{ key: string }[]>`SELECT period_key AS key FROM owed_scoring ORDER BY 1`).map((r) => r.key),
  );
}
