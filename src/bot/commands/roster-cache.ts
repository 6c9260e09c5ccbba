import { chatUserKey } from "../../chat/caller.ts";
import { type AgentProfile, agentProfiles } from "../../store/agent-day-repo.ts";
import type { Queryable } from "../../store/database.ts";
import { chatIdentities } from "../../store/schema.ts";

/**
 * Who is who, as commands need it: the roster's agents by id, and which agent each chat account
 * is. A running bot keeps it for `maxAgeMs` (a 1,000-agent roster is a thousand rows, and a busy
 * team asks many times a second); concurrent askers share one read; a roster sync or an approved
 * link calls `invalidate()` so the change shows at once.
 */
export interface Directory {
  byId: ReadonlyMap<string, AgentProfile>;
  /** Agent id by `platform:userId`. */
  chatUsers: ReadonlyMap<string, string>;
}

export async function loadDirectory(db: Queryable): Promise<Directory> {
  const [profiles, identities] = await Promise.all([
    agentProfiles(db),
    db
      .select({
        platform: chatIdentities.platform,
        userId: chatIdentities.userId,
        agentId: chatIdentities.agentId,
      })
      .from(chatIdentities),
  ]);
  return {
    byId: new Map(profiles.map((p) => [p.id, p])),
    chatUsers: new Map(identities.map((i) => [chatUserKey(i), i.agentId])),
  };
}

export interface RosterCache {
  directory(): Promise<Directory>;
  invalidate(): void;
}

export function rosterCache(db: Queryable, maxAgeMs = 30_000, clock: () => number = Date.now): RosterCache {
  let current: { at: number; directory: Promise<Directory> } | undefined;
  return {
    directory() {
      const now = clock();
      if (!current || now - current.at > maxAgeMs) {
        const loading = loadDirectory(db);
        current = { at: now, directory: loading };
        // A failed read is not kept: the next asker tries again.
        loading.catch(() => {
          if (current?.directory === loading) current = undefined;
        });
      }
      return current.directory;
    },
    invalidate() {
      current = undefined;
    },
  };
}
