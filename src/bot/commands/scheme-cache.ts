import type { Queryable } from "../../store/database.ts";
import { type SchemeInForce, schemesInForce } from "../../store/scheme-repo.ts";

/** The schemes in force on a day (YYYY-MM-DD), by role. */
export type SchemesOn = (day: string) => Promise<Map<string, SchemeInForce>>;

/**
 * Schemes in force per day, kept for `maxAgeMs`: they change only when the configuration is
 * synced, and `me`, `explain` and `targets` ask for them on every command. A failed read is not
 * kept.
 */
export function schemeCache(db: Queryable, maxAgeMs = 30_000, clock: () => number = Date.now): SchemesOn {
  const byDay = new Map<string, { at: number; schemes: Promise<Map<string, SchemeInForce>> }>();
  return (day) => {
    const now = clock();
    const hit = byDay.get(day);
    if (hit && now - hit.at <= maxAgeMs) return hit.schemes;
    // A command names at most a few days (today, a month's first day …): a bound, not an LRU.
    if (byDay.size >= 1_000) byDay.clear();
    const loading = schemesInForce(db, day);
    byDay.set(day, { at: now, schemes: loading });
    loading.catch(() => {
      if (byDay.get(day)?.schemes === loading) byDay.delete(day);
    });
    return loading;
  };
}

/** The deps' schemes per day (a cache the wiring gives), else read from the store each time. */
export function schemesOnOf(deps: { db: Queryable; schemesOn?: SchemesOn }): SchemesOn {
  return deps.schemesOn ?? ((day) => schemesInForce(deps.db, day));
}
