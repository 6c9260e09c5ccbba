import { and, eq } from "drizzle-orm";
import type { Queryable } from "./database.ts";
import { chatDmChannels } from "./schema.ts";

/**
 * The direct-message channel of each chat user, as the platform opened it (Slack's
 * conversations.open, limited to about 50 calls a minute): kept so a restart or another replica
 * does not open it again.
 */

export async function dmChannelOf(
  db: Queryable,
  platform: string,
  userId: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ channelId: chatDmChannels.channelId })
    .from(chatDmChannels)
    .where(and(eq(chatDmChannels.platform, platform), eq(chatDmChannels.userId, userId)));
  return row?.channelId;
}

/**
 * Keeps the channel; a row already there (another replica opened the same DM a moment before)
 * wins, since the platform gives one user one DM channel either way.
 */
export async function rememberDmChannel(
  db: Queryable,
  row: { platform: string; userId: string; channelId: string; openedAt: Date },
): Promise<void> {
  await db.insert(chatDmChannels).values(row).onConflictDoNothing();
}

/** Forgets the channel the platform no longer takes; only that one, not a newer one stored meanwhile. */
export async function forgetDmChannel(
  db: Queryable,
  platform: string,
  userId: string,
  channelId: string,
): Promise<void> {
  await db
    .delete(chatDmChannels)
    .where(
      and(
        eq(chatDmChannels.platform, platform),
        eq(chatDmChannels.userId, userId),
        eq(chatDmChannels.channelId, channelId),
      ),
    );
}
