import type { webApi } from "@slack/bolt";
import type { Log } from "../../log.ts";
import type { Call } from "./slack-files.ts";

/**
 * chat.postMessage has no idempotency key, so a send that carries an outbox key tags its message
 * with Slack's message metadata (not shown in Slack's clients, though any app in the channel may
 * read it: a key names a message, it holds nothing secret), and an abandoned attempt is looked up
 * afterwards in conversations.history (include_all_metadata) by that tag.
 *
 * A Reply with pictures is two messages: the text (tagged), then the files shared by
 * files.completeUploadExternal, which takes no metadata. The lookup finds the text, and the
 * message counts as posted when the text is there, whether the pictures followed or not. When
 * they did not (the attempt died between the two), the delivery engine should still record the
 * message sent with the handle found and not send again: sending again posts the text a second
 * time, the duplicate this lookup exists to prevent, and the pictures cannot be shared on their
 * own later (the dead attempt's staged files are not known to anyone). A digest without its chart
 * is the lesser fault; the engine may log it. The same holds for any attempt whose failure may
 * have come after Slack took the text (a timeout or a 5xx on chat.postMessage, a failed share):
 * the engine may look before repeating those too, not only abandoned ones.
 */

/** The metadata event type of our outbox tag; the key is its payload. */
export const OUTBOX_EVENT_TYPE = "kpi_outbox";

export const outboxMetadata = (key: string) => ({ event_type: OUTBOX_EVENT_TYPE, event_payload: { key } });

/** Messages per history page: Slack's advice for paginated calls is at most 200. */
export const HISTORY_PAGE_SIZE = 200;
/** Pages read at most (conversations.history is Tier 3, about 50 calls a minute per workspace). */
export const HISTORY_MAX_PAGES = 5;
/**
 * `since` is our clock, a message's ts Slack's: look this much further back so a skew between
 * them cannot hide the message. Reading a few more messages is cheap; missing it costs a duplicate.
 */
export const SINCE_MARGIN_MS = 30_000;

/** The outbox key a history message is tagged with, if it is one of ours. */
function outboxKeyOf(message: { metadata?: { event_type?: string; event_payload?: object } }): unknown {
  if (message.metadata?.event_type !== OUTBOX_EVENT_TYPE) return undefined;
  return (message.metadata.event_payload as { key?: unknown } | undefined)?.key;
}

/**
 * The ts of the message in `channel` tagged with `key`, posted after `since` (less the margin),
 * looked for newest first. After HISTORY_MAX_PAGES pages with more to read it gives up and
 * answers undefined (a duplicate at worst): a channel with a thousand messages since the attempt
 * is one whose history we should not keep reading, and "cannot tell" has no better answer.
 */
export async function findPosted(
  client: webApi.WebClient,
  call: Call,
  log: Log,
  channel: string,
  key: string,
  since: Date,
): Promise<string | undefined> {
  const oldest = ((since.getTime() - SINCE_MARGIN_MS) / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 1; page <= HISTORY_MAX_PAGES; page++) {
    const history = await call(() =>
      client.conversations.history({
        channel,
        oldest,
        include_all_metadata: true,
        limit: HISTORY_PAGE_SIZE,
        ...(cursor === undefined ? {} : { cursor }),
      }),
    );
    const messages = history.messages ?? [];
    const tagged = messages.find((m) => outboxKeyOf(m) === key);
    if (tagged?.ts !== undefined) return tagged.ts;
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!history.has_more || cursor === undefined) return undefined;
    // `oldest` bounds the pages already; this only guards against a page that ignores it.
    const last = messages.at(-1)?.ts;
    if (last !== undefined && Number(last) <= Number(oldest)) return undefined;
  }
  log.warn(
    { channel, outboxKey: key, pages: HISTORY_MAX_PAGES },
    "slack: stopped looking for an abandoned message in a busy channel; it may be posted twice",
  );
  return undefined;
}
