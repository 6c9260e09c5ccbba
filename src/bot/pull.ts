import { resolve } from "node:path";
import type { LoadedConfig, SourceConfig } from "../config.ts";
import { dayKey, InvalidInput, parseDay } from "../engine/index.ts";
import { DEMO_SHOP, generateDemoShop } from "../sources/demo/index.ts";
import { SourceUnavailable } from "../sources/errors.ts";
import { fetchHttpSource } from "../sources/http-json.ts";
import type { Db } from "../store/database.ts";
import type { ImportOutcome } from "../store/import-repo.ts";
import { importAndScore, importExportFile } from "./import-file.ts";
import { demoLoaded, loadDemo } from "./load-demo.ts";

/**
 * The daily pull: every configured source (or those named) fetched for its day, imported and
 * scored. A failing source does not stop the others; its error is reported with the rest.
 */

export interface PullRequest {
  /** The day the pull runs for (a schedule's fire day); each source takes its lagDays off it. */
  runDay: string;
  /** Pull exactly this day of figures from every source instead (kpi pull --date). */
  figuresDay?: string;
  sourceIds?: string[];
  actor: string;
  now: Date;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** How a retry waits; tests pass one that does not. */
  sleep?: (ms: number) => Promise<void>;
}

export type PullReport =
  | { source: string; day: string; status: ImportOutcome["status"]; records: number; problems: number }
  | { source: string; day: string; status: "failed"; error: Error };

/**
 * The demo re-sends the days whose figures were still pending (resolution's 72 h: its last three
 * days) with the new one, as Chitu's later exports settle conversion: the pull fills them in.
 */
const DEMO_RESEND_DAYS = 4;

export async function pull(db: Db, loaded: LoadedConfig, request: PullRequest): Promise<PullReport[]> {
  const sources = selectSources(loaded, request.sourceIds);
  const reports: PullReport[] = [];
  for (const source of sources) {
    const day = request.figuresDay ?? dayKey(parseDay(request.runDay) - source.lagDays);
    try {
      reports.push(...(await pullSource(db, loaded, source, day, request)));
    } catch (error) {
      reports.push({ source: source.id, day, status: "failed", error: error as Error });
    }
  }
  return reports;
}

function selectSources(loaded: LoadedConfig, ids: string[] | undefined): SourceConfig[] {
  const all = loaded.config.sources;
  if (ids === undefined) return all;
  return ids.map((id) => {
    const source = all.find((s) => s.id === id);
    if (!source)
      throw new InvalidInput(
        "--source",
        `no source "${id}" in the configuration (sources: ${all.map((s) => s.id).join(", ")})`,
      );
    return source;
  });
}

async function pullSource(
  db: Db,
  loaded: LoadedConfig,
  source: SourceConfig,
  day: string,
  request: PullRequest,
): Promise<PullReport[]> {
  const actor = request.actor;
  const now = request.now;
  const report = (outcome: ImportOutcome, forDay = day): PullReport => ({
    source: source.id,
    day: forDay,
    status: outcome.status,
    records: outcome.status === "done" ? outcome.records : 0,
    problems: outcome.status === "rejected" ? outcome.problems.length : 0,
  });
  switch (source.kind) {
    case "demo": {
      if (!(await demoLoaded(db))) {
        await loadDemo(db, { endDay: day, days: source.days, seed: source.seed, actor, now });
        return [{ source: source.id, day, status: "done", records: 0, problems: 0 }];
      }
      const shop = generateDemoShop({
        endDay: day,
        days: source.days,
        seed: source.seed,
        lastDays: DEMO_RESEND_DAYS,
      });
      const reports: PullReport[] = [];
      for (const [i, batch] of shop.batches.entries()) {
        const batchDay = dayKey(parseDay(day) - (Math.min(DEMO_RESEND_DAYS, shop.batches.length) - 1 - i));
        const { outcome } = await importAndScore(db, batch, {
          shopId: DEMO_SHOP.id,
          config: loaded.config,
          actor,
          now,
        });
        reports.push(report(outcome, batchDay));
      }
      return reports;
    }
    case "http": {
      const headers = headersFromEnv(source.headersFromEnv, request.env ?? process.env);
      const batch = await withRetries(request.sleep ?? sleep, () =>
        fetchHttpSource({
          url: source.url,
          day,
          headers,
          timeoutMs: source.timeoutMs,
          ...(request.fetch ? { fetch: request.fetch } : {}),
        }),
      );
      const { outcome } = await importAndScore(db, batch, {
        shopId: source.shop,
        day,
        config: loaded.config,
        actor,
        now,
      });
      return [report(outcome)];
    }
    default: {
      const path = resolve(loaded.baseDir, source.path.replaceAll("{date}", day));
      const { outcome } = await importExportFile(db, {
        path,
        ...(source.kind === "auto" ? {} : { kind: source.kind }),
        shopId: source.shop,
        day,
        config: loaded.config,
        actor,
        now,
        strict: source.strict,
        approximate: source.approximate,
      });
      return [report(outcome)];
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Tries a source that is briefly unavailable (429, 5xx, timeouts) again. */
const ATTEMPTS = 4;
const FIRST_WAIT_MS = 2_000;
const LONGEST_WAIT_MS = 60_000;

/**
 * A 429 or a 500 should not cost a day of figures: wait as the source asked (Retry-After) or with
 * exponential backoff, up to a minute, and try again; after the last attempt the error goes to the
 * pull's report and the schedule's slot is marked failed.
 */
async function withRetries<T>(wait: (ms: number) => Promise<void>, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof SourceUnavailable) || n >= ATTEMPTS) throw error;
      await wait(Math.min(error.retryAfterMs ?? FIRST_WAIT_MS * 2 ** (n - 1), LONGEST_WAIT_MS));
    }
  }
}

/** Header values from the environment; a missing variable is named, its value never printed. */
function headersFromEnv(names: Record<string, string>, env: NodeJS.ProcessEnv): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [header, variable] of Object.entries(names)) {
    const value = env[variable];
    if (value === undefined || value === "")
      throw new InvalidInput(variable, `is not set: the ${header} header of this source comes from it`);
    headers[header] = value;
  }
  return headers;
}

/** One line on how a source's pull went, for the terminal and the logs. */
export function describePull(report: PullReport): string {
  if (report.status === "failed") return `${report.source} ${report.day}: failed: ${report.error.message}`;
  if (report.status === "rejected")
    return `${report.source} ${report.day}: rejected, ${report.problems} bad rows (kpi import shows them)`;
  if (report.status === "unchanged")
    return `${report.source} ${report.day}: already imported, nothing changed`;
  return `${report.source} ${report.day}: ${report.records} agent-days imported`;
}
