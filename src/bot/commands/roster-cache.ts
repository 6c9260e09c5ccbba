import { type AgentProfile, agentProfiles } from "../../store/agent-day-repo.ts";
import type { Queryable } from "../../store/database.ts";

/**
 * The roster as commands see it, read at most once per `maxAgeMs`: a 1,000-agent roster is a
 * thousand rows, and a busy team asks many times a second. Concurrent askers share one read; a
 * roster sync or an approved link calls `invalidate()` so the change shows at once.
 */
export interface RosterCache {
  profiles(): Promise<AgentProfile[]>;
  invalidate(): void;
}

export function rosterCache(db: Queryable, maxAgeMs = 30_000, clock: () => number = Date.now): RosterCache {
  let current: { at: number; profiles: Promise<AgentProfile[]> } | undefined;
  return {
    profiles() {
      const now = clock();
      if (!current || now - current.at > maxAgeMs) {
        const loading = agentProfiles(db);
        current = { at: now, profiles: loading };
        // A failed read is not kept: the next asker tries again.
        loading.catch(() => {
          if (current?.profiles === loading) current = undefined;
        });
      }
      return current.profiles;
    },
    invalidate() {
      current = undefined;
    },
  };
}
