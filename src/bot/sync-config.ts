import { isAbsolute, resolve } from "node:path";
import type { Config, LoadedConfig } from "../config.ts";
import { DEFAULT_SEASON_CALENDAR, InvalidInput, type SeasonCalendar } from "../engine/index.ts";
import type { Roster } from "../roster.ts";
import { BUILTIN_SCHEMES, readScheme } from "../schemes/index.ts";
import type { Db } from "../store/database.ts";
import { syncRoster } from "../store/roster-repo.ts";
import { type SchemeVersionInput, syncSchemeVersions } from "../store/scheme-repo.ts";

/**
 * The database follows the configuration file: roster and scheme versions are brought in line at
 * start-up (and by `kpi db migrate`), audited when anything changed.
 */

/** Roles scored by the built-in schemes when the configuration names none. */
const DEFAULT_SCHEMES: Config["schemes"] = {
  presales: [{ scheme: "presales", from: "2000-01-01" }],
  aftersales: [{ scheme: "aftersales", from: "2000-01-01" }],
  supervisor: [{ scheme: "supervisor", from: "2000-01-01" }],
  trainee: [{ scheme: "trainee", from: "2000-01-01" }],
};

export interface SyncOutcome {
  rosterChanges: number;
  schemeChanges: number;
}

export async function syncConfig(db: Db, loaded: LoadedConfig, now: Date): Promise<SyncOutcome> {
  const versions = await schemeVersionsOf(loaded);
  const roster = rosterOf(loaded.config);
  return db.transaction(async (tx) => ({
    rosterChanges: await syncRoster(tx, roster, "config", now),
    schemeChanges: await syncSchemeVersions(tx, versions, "config", now),
  }));
}

function rosterOf(config: Config): Roster {
  return {
    shops: config.shops.map((s) => ({ ...s })),
    teams: config.teams,
    agents: config.agents.map((a) => ({ ...a })),
  } as Roster;
}

async function schemeVersionsOf(loaded: LoadedConfig): Promise<SchemeVersionInput[]> {
  const schemes = Object.keys(loaded.config.schemes).length > 0 ? loaded.config.schemes : DEFAULT_SCHEMES;
  const out: SchemeVersionInput[] = [];
  for (const [role, versions] of Object.entries(schemes)) {
    for (const [i, version] of versions.entries()) {
      const builtin = (BUILTIN_SCHEMES as readonly string[]).includes(version.scheme);
      const path =
        builtin || isAbsolute(version.scheme) ? version.scheme : resolve(loaded.baseDir, version.scheme);
      const { scheme, document } = await readScheme(path, seasonCalendarOf(loaded.config));
      if (!scheme.roles.has(role)) {
        throw new InvalidInput(
          `schemes.${role}[${i}].scheme`,
          `${version.scheme} has no role ${role} (it has: ${[...scheme.roles.keys()].join(", ")})`,
        );
      }
      out.push({ role, effectiveFrom: version.from, schemeId: scheme.id, document });
    }
  }
  return out;
}

/** The configuration's season windows over the defaults: the dates every scheme's seasons follow. */
export function seasonCalendarOf(config: Pick<Config, "seasons">): SeasonCalendar {
  return { ...DEFAULT_SEASON_CALENDAR, ...config.seasons };
}
