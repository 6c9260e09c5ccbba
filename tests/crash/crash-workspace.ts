import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StoreOptions } from "../../src/store/database.ts";
import { embeddedEnv } from "../support/kpi-process.ts";

/**
 * Where a crash run works: a directory with the configuration (two export shops of five agents
 * each, the demo shop, the daily pull) and the files it imports, on a database of its own: a
 * PGlite directory inside it, or a PostgreSQL database the caller made.
 */

export interface CrashWorkspace {
  dir: string;
  /** The environment of its `kpi` children. */
  env: NodeJS.ProcessEnv;
  /** How the test opens the same database, once no child holds it. */
  store: StoreOptions;
  remove(): Promise<void>;
}

export interface PostgresDatabase {
  url: string;
  drop(): Promise<void>;
}

export const FIXTURES = join(import.meta.dirname, "../fixtures/exports");
/** Days of the demo shop: the configuration's source and `kpi demo --days` agree. */
export const DEMO_DAYS = 45;

const agent = (id: string, name: string, shop: string, account: string) =>
  `  - { id: ${id}, name: ${name}, role: presales, team: ${shop}-team, accounts: [{ shop: ${shop}, account: "${account}" }] }`;

export const CRASH_CONFIG = [
  "shops:",
  "  - { id: flagship, name: 赤兔名品旗舰店, platform: taobao }",
  "  - { id: jd, name: 京东店, platform: jd }",
  "teams: [{ id: flagship-team, shop: flagship, name: 售前组 }, { id: jd-team, shop: jd, name: 京东组 }]",
  "agents:",
  ...["张", "李", "王", "赵", "陈"].map((n, i) => agent(`t${i}`, `小${n}`, "flagship", `小${n}`)),
  ...["小美", "阿强", "小雨", "老周", "小婷"].map((n, i) => agent(`j${i}`, n, "jd", `jd_${n}`)),
  "sources:",
  `  - { id: demo, kind: demo, days: ${DEMO_DAYS} }`,
  "schedules:",
  '  - { id: daily-pull, cron: "0 9 * * *", timeZone: Asia/Shanghai }',
].join("\n");

export function crashWorkspace(postgres?: PostgresDatabase, config = CRASH_CONFIG): CrashWorkspace {
  const dir = mkdtempSync(join(tmpdir(), "kpi-crash-"));
  writeFileSync(join(dir, "kpi.config.yaml"), config);
  // A corrected file for the day of the GBK export: 小张's receptions 120 → 121 (replaces his day).
  const corrected = readFileSync(join(FIXTURES, "chitu-utf8-bom.csv"), "utf8").replace(
    "小张,2026-11-22,131,120,",
    "小张,2026-11-22,131,121,",
  );
  if (!corrected.includes("131,121,"))
    throw new Error("the Chitu fixture changed: no row of 小张 to correct");
  writeFileSync(join(dir, "chitu-corrected.csv"), corrected);
  const dataDir = join(dir, "data");
  const where = postgres ? { DATABASE_URL: postgres.url } : { KPI_DATA_DIR: dataDir };
  return {
    dir,
    env: embeddedEnv({ ...where, KPI_LOG_LEVEL: "warn" }),
    store: postgres ? { databaseUrl: postgres.url } : { dataDir },
    async remove() {
      rmSync(dir, { recursive: true, force: true });
      await postgres?.drop();
    },
  };
}

export interface Step {
  name: string;
  args: string[];
}

/**
 * What the crash runs do, in order: imports (a GBK Chitu export, a JD xlsx), the demo load, a
 * corrected export replacing a day, then the bot's daily cycle (start-up, owed scoring, the
 * missed pull and digests, the console's digests and nudges, every message sent).
 */
export const WORKLOAD: readonly Step[] = [
  { name: "import chitu", args: ["import", join(FIXTURES, "chitu-gbk.csv"), "--shop", "flagship"] },
  { name: "import jd", args: ["import", join(FIXTURES, "jd.xlsx"), "--shop", "jd"] },
  { name: "demo", args: ["demo", "--days", String(DEMO_DAYS)] },
  { name: "import corrected", args: ["import", "chitu-corrected.csv", "--shop", "flagship"] },
  { name: "daily cycle", args: ["start", "--once"] },
];

/**
 * When the crash runs' first step starts: the latest Monday 10:00 in Shanghai at least an hour
 * ago. In the past (see shifted-clock.mjs), after the morning's pull and digests are due, and a
 * Monday, so the weekly digest goes out besides the daily one.
 */
export function crashClock(real = new Date()): Date {
  const latest = real.getTime() - 3_600_000;
  const day = 86_400_000;
  // Monday 10:00 +08:00 is Monday 02:00 UTC; 1970-01-05 was a Monday.
  const firstMonday = Date.UTC(1970, 0, 5, 2);
  const weeks = Math.floor((latest - firstMonday) / (7 * day));
  return new Date(firstMonday + weeks * 7 * day);
}
