import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { eq } from "drizzle-orm";
import type { Config, LoadedConfig } from "../config.ts";
import { DEFAULT_SEASON_CALENDAR, InvalidInput, type SeasonCalendar } from "../engine/index.ts";
import type { Roster } from "../roster.ts";
import { BUILTIN_SCHEMES, readScheme, schemeFile } from "../schemes/index.ts";
import type { Db } from "../store/database.ts";
import { syncRoster } from "../store/roster-repo.ts";
import { configSync } from "../store/schema.ts";
import { type SchemeVersionInput, syncSchemeVersions } from "../store/scheme-repo.ts";

/**
 * The database follows the configuration file: roster and scheme versions are brought in line at
 * start-up (and by `kpi db migrate`), audited when anything changed.
 */

/** Roles scored by the built-in schemes when the configuration names none. */
const DEFAULT_SCHEMES: Config["schemes"] = {
  // With 完整回复率 from 质检 (docs/qa.md): no figure, no weight, until conversations are rated.
  presales: [{ scheme: "presales-qa", from: "2000-01-01" }],
  aftersales: [{ scheme: "aftersales-qa", from: "2000-01-01" }],
  supervisor: [{ scheme: "supervisor", from: "2000-01-01" }],
  trainee: [{ scheme: "trainee", from: "2000-01-01" }],
};

export interface SyncOutcome {
  rosterChanges: number;
  schemeChanges: number;
  /** The same configuration (file, schemes, kpi-bot version) as the last sync: nothing was read or written. */
  unchanged: boolean;
}

/**
 * Brings the database in line with the configuration, unless the configuration is the one it was
 * last brought in line with: every command runs this, and parsing four schemes and upserting the
 * roster took a quarter of a second of a one-second read command.
 */
export async function syncConfig(db: Db, loaded: LoadedConfig, now: Date): Promise<SyncOutcome> {
  const fingerprint = await fingerprintOf(loaded);
  const [last] = await db.select().from(configSync).where(eq(configSync.id, 1));
  if (last?.fingerprint === fingerprint) return { rosterChanges: 0, schemeChanges: 0, unchanged: true };
  const versions = await schemeVersionsOf(loaded);
  const roster = rosterOf(loaded.config);
  return db.transaction(async (tx) => {
    const outcome = {
      rosterChanges: await syncRoster(tx, roster, "config", now),
      schemeChanges: await syncSchemeVersions(tx, versions, "config", now),
      unchanged: false,
    };
    const row = { fingerprint, syncedAt: now };
    await tx
      .insert(configSync)
      .values({ id: 1, ...row })
      .onConflictDoUpdate({ target: configSync.id, set: row });
    return outcome;
  });
}

/** SHA-256 of what a sync reads: the configuration, the text of every scheme it names, and our version. */
async function fingerprintOf(loaded: LoadedConfig): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`${await packageVersion()}\n${JSON.stringify(loaded.config)}\n`);
  for (const { path } of schemeReferences(loaded)) {
    hash.update(`${path}\n`);
    hash.update(await readFile(schemeFile(path)).catch(() => Buffer.from("(unreadable)")));
  }
  return hash.digest("hex");
}

let version: Promise<string> | undefined;
function packageVersion(): Promise<string> {
  // src/bot/ and dist/bot/ are both two folders below package.json.
  version ??= readFile(new URL("../../package.json", import.meta.url), "utf8").then(
    (text) => (JSON.parse(text) as { version: string }).version,
  );
  return version;
}

function rosterOf(config: Config): Roster {
  return {
    shops: config.shops.map((s) => ({ ...s })),
    teams: config.teams,
    agents: config.agents.map((a) => ({ ...a })),
  } as Roster;
}

/** Each role's scheme versions as the configuration names them, paths resolved. */
function schemeReferences(
  loaded: LoadedConfig,
): { role: string; i: number; from: string; name: string; path: string }[] {
  const schemes = Object.keys(loaded.config.schemes).length > 0 ? loaded.config.schemes : DEFAULT_SCHEMES;
  return Object.entries(schemes).flatMap(([role, versions]) =>
    versions.map((version, i) => {
      const builtin = (BUILTIN_SCHEMES as readonly string[]).includes(version.scheme);
      const path =
        builtin || isAbsolute(version.scheme) ? version.scheme : resolve(loaded.baseDir, version.scheme);
      return { role, i, from: version.from, name: version.scheme, path };
    }),
  );
}

async function schemeVersionsOf(loaded: LoadedConfig): Promise<SchemeVersionInput[]> {
  const out: SchemeVersionInput[] = [];
  for (const { role, i, from, name, path } of schemeReferences(loaded)) {
    const { scheme, document } = await readScheme(path, seasonCalendarOf(loaded.config));
    if (!scheme.roles.has(role)) {
      throw new InvalidInput(
        `schemes.${role}[${i}].scheme`,
        `${name} has no role ${role} (it has: ${[...scheme.roles.keys()].join(", ")})`,
      );
    }
    out.push({ role, effectiveFrom: from, schemeId: scheme.id, document });
  }
  return out;
}

/** The configuration's season windows over the defaults: the dates every scheme's seasons follow. */
export function seasonCalendarOf(config: Pick<Config, "seasons">): SeasonCalendar {
  return { ...DEFAULT_SEASON_CALENDAR, ...config.seasons };
}
