import type { App, BlockAction } from "@slack/bolt";
import type { InboundOutcome } from "../../server/metrics.ts";
import type { AdapterDeps, InboundHandlers } from "../adapter.ts";
import type { Reply } from "../reply.ts";
import { renderBlockKit } from "./block-kit.ts";
import { messageRef, type SlackOutbound } from "./slack-outbound.ts";

/**
 * What arrives from Slack, in either mode, turned into calls to the core: slash commands,
 * @mentions and direct messages become commands, button clicks become clicks. Each delivery acts
 * once (Slack retries an event it thinks we missed), and the listeners hold no business logic.
 */

export interface ListenerDeps extends AdapterDeps {
  handlers: InboundHandlers;
  outbound: SlackOutbound;
  /** How long a slash command's answer may take to go back in the ack itself (default 2 s; 0: never). */
  inlineAnswerMs?: number;
}

/** Slack waits 3 s for the ack, network included: an answer later than this goes to the response_url. */
export const INLINE_ANSWER_MS = 2_000;

type Body = Record<string, unknown>;

/** Slack's own id for one delivery, the same on every retry of it. */
export function deliveryIdOf(body: Body): string | undefined {
  if (body.type === "event_callback" && typeof body.event_id === "string") return `event:${body.event_id}`;
  if (typeof body.command === "string" && typeof body.trigger_id === "string")
    return `command:${body.trigger_id}`;
  if (body.type === "block_actions") {
    if (typeof body.trigger_id === "string") return `action:${body.trigger_id}`;
    const [first] = (body.actions ?? []) as { action_ts?: string }[];
    if (first?.action_ts) return `action:${first.action_ts}`;
  }
  return undefined;
}

/** The text after the bot's mention, without a leading "kpi" people type out of habit. */
export function commandTextOf(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId ? text.replaceAll(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, "g"), " ") : text;
  return withoutBot.trim().replace(/^\/?kpi(?:\s+|$)/i, "");
}

export function listen(app: App, deps: ListenerDeps): void {
  const count = (outcome: InboundOutcome) => deps.metrics.inbound.inc({ platform: "slack", outcome });
  // Called in the listeners, not in a Bolt middleware (which would hold clicks' and events' acks
  // until the database answered); a repeat is acked all the same and dropped here. Nobody awaits
  // a listener to the end once it has acked, so failures are counted and logged here.
  const once = async (body: object, what: string, work: () => Promise<void>) => {
    try {
      const id = deliveryIdOf(body as Body);
      if (id !== undefined && !(await deps.memory.firstDelivery("slack", id, deps.now())))
        return count("duplicate");
      await work();
      count("handled");
    } catch (error) {
      count("error");
      deps.log.error({ err: error, what }, "Slack delivery failed");
    }
  };
  const asCaller = (userId: string) => ({ platform: "slack" as const, userId });

  // The answer goes back in the ack when it is ready in time (one request fewer, and the asker
  // sees it at once); otherwise the ack goes out empty before Slack's 3 s are up and the answer
  // follows on the response_url, valid for 30 minutes. Repeats and failures get an empty ack.
  app.command(/.*/, async ({ command, ack, respond }) => {
    let acked = false;
    const ackEmpty = () => {
      if (acked) return;
      acked = true;
      ack().catch((error: unknown) => deps.log.warn({ err: error }, "Slack ack failed"));
    };
    const budget = deps.inlineAnswerMs ?? INLINE_ANSWER_MS;
    // 0: always acked empty first, the answer on the response_url.
    if (budget <= 0) ackEmpty();
    const deadline = setTimeout(ackEmpty, budget);
    try {
      await once(command, "command", async () => {
        const reply = await deps.handlers.command(asCaller(command.user_id), command.text);
        const message = {
          response_type: reply.private ? "ephemeral" : "in_channel",
          ...renderBlockKit(reply),
        } as const;
        if (acked) return void (await respond(message));
        acked = true;
        await ack(message);
      });
    } finally {
      clearTimeout(deadline);
      ackEmpty();
    }
  });

  app.action<BlockAction>({ type: "block_actions" }, async ({ ack, body, action, respond }) => {
    await ack();
    await once(body, "click", async () => {
      const message = body.message && body.channel ? messageRef(body.channel.id, body.message.ts) : undefined;
      const reply = await deps.handlers.click({
        caller: asCaller(body.user.id),
        actionId: action.action_id,
        value: "value" in action && typeof action.value === "string" ? action.value : "",
        ...(message ? { message: { platform: "slack", ref: message } } : {}),
      });
      if (reply) await respond(clickResponse(reply));
    });
  });

  app.event("app_mention", async ({ body, event, context }) => {
    if (!event.user) return count("ignored");
    const user = event.user;
    await once(body, "mention", async () => {
      const reply = await deps.handlers.command(asCaller(user), commandTextOf(event.text, context.botUserId));
      if (reply.private) await deps.outbound.whisper(event.channel, user, reply);
      else await deps.outbound.send({ kind: "channel", id: event.channel }, reply);
    });
  });

  app.event("message", async ({ body, event, context }) => {
    // Only people's own new messages in the bot's DMs: edits, joins and bots (ourselves) are not commands.
    if (event.channel_type !== "im" || event.subtype !== undefined || "bot_id" in event)
      return count("ignored");
    const { user, text, channel } = event;
    await once(body, "direct message", async () => {
      const reply = await deps.handlers.command(asCaller(user), commandTextOf(text ?? "", context.botUserId));
      await deps.outbound.send({ kind: "channel", id: channel }, reply);
    });
  });
}

/** A click's answer replaces the message the button was on, unless only the clicker should see it. */
function clickResponse(reply: Reply) {
  return reply.private
    ? { response_type: "ephemeral" as const, replace_original: false, ...renderBlockKit(reply) }
    : { replace_original: true, ...renderBlockKit(reply) };
}
