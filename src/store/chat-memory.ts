import type { Queryable } from "./database.ts";
import { dmChannelOf, forgetDmChannel, rememberDmChannel } from "./dm-channel-repo.ts";
import { firstDelivery } from "./inbound-delivery-repo.ts";

/**
 * What the chat adapters keep in the database, as the one object the wiring hands them
 * (chat/adapter.ts, ChatMemory): the adapters never see a table or a query.
 */
export function chatMemoryOf(db: Queryable) {
  return {
    firstDelivery: (platform: string, deliveryId: string, now: Date) =>
      firstDelivery(db, platform, deliveryId, now),
    dmChannelOf: (platform: string, userId: string) => dmChannelOf(db, platform, userId),
    rememberDmChannel: (row: { platform: string; userId: string; channelId: string; openedAt: Date }) =>
      rememberDmChannel(db, row),
    forgetDmChannel: (platform: string, userId: string, channelId: string) =>
      forgetDmChannel(db, platform, userId, channelId),
  };
}
