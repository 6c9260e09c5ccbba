import { inArray } from "drizzle-orm";
import type { Destination } from "../chat/adapter.ts";
import type { ChatPlatform } from "../chat/caller.ts";
import type { Queryable } from "../store/database.ts";
import { chatIdentities } from "../store/schema.ts";

/**
 * Where a message to a person goes: the first of the bot's platforms (in the configuration's
 * order) on which the roster or an approved link knows them. On the console (no platform
 * configured) everyone is reachable, by agent id.
 */

export interface Recipient {
  platform: ChatPlatform;
  to: Destination;
}

export type Recipients = ReadonlyMap<string, Recipient>;

/** The agents' recipients on these platforms; agents reachable on none are left out. */
export async function recipientsOf(
  db: Queryable,
  platforms: readonly ChatPlatform[],
  agentIds: readonly string[],
): Promise<Recipients> {
  const found = new Map<string, Recipient>();
  if (agentIds.length === 0) return found;
  if (platforms.includes("console")) {
    for (const id of agentIds) found.set(id, { platform: "console", to: { kind: "user", userId: id } });
    return found;
  }
  const rows = await db
    .select({
      platform: chatIdentities.platform,
      userId: chatIdentities.userId,
      agentId: chatIdentities.agentId,
    })
    .from(chatIdentities)
    .where(inArray(chatIdentities.agentId, [...new Set(agentIds)]));
  const rank = (p: string) => platforms.indexOf(p as ChatPlatform);
  for (const row of rows) {
    if (rank(row.platform) < 0) continue;
    const seen = found.get(row.agentId);
    // The first platform of the configuration wins; on one platform, the lowest user id, so the
    // choice does not change from one run to the next.
    if (
      seen &&
      (rank(seen.platform) < rank(row.platform) ||
        (seen.platform === row.platform && (seen.to as { userId: string }).userId <= row.userId))
    )
      continue;
    found.set(row.agentId, {
      platform: row.platform as ChatPlatform,
      to: { kind: "user", userId: row.userId },
    });
  }
  return found;
}

/** "slack:U0123" (the configuration's admins) as a recipient, when the bot is on that platform. */
export function adminRecipient(admin: string, platforms: readonly ChatPlatform[]): Recipient | undefined {
  const colon = admin.indexOf(":");
  const platform = admin.slice(0, colon) as ChatPlatform;
  if (!platforms.includes(platform)) return undefined;
  return { platform, to: { kind: "user", userId: admin.slice(colon + 1) } };
}

/** Stable text of a destination, for outbox keys: "slack:user:U0123", "feishu:channel:oc_…". */
export function recipientKey({ platform, to }: Recipient): string {
  return to.kind === "user" ? `${platform}:user:${to.userId}` : `${platform}:channel:${to.id}`;
}
