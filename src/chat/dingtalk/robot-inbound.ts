import { z } from "zod";
import type { InboundOutcome } from "../../server/metrics.ts";
import type { AdapterDeps, InboundHandlers } from "../adapter.ts";
import type { Reply } from "../reply.ts";
import { commandText, type RobotMessage, robotMessageSchema } from "./robot-message.ts";

/**
 * What happens to one delivered robot message or card button press, after it was acked:
 * parsed, acted on once (DingTalk pushes an un-acked or lost-ack message again with the same
 * msgId), answered, and counted. Never throws: the delivery is already acked.
 */

export interface InboundContext {
  handlers: InboundHandlers;
  deps: AdapterDeps;
  answer(message: RobotMessage, reply: Reply): Promise<void>;
  /** A click's Reply goes to the clicker 1:1. */
  answerUser(staffId: string, reply: Reply): Promise<void>;
}

export async function receiveRobotMessage(data: unknown, ctx: InboundContext): Promise<InboundOutcome> {
  return counted(ctx, async () => {
    const parsed = robotMessageSchema.safeParse(data);
    if (!parsed.success || !parsed.data.senderStaffId) return "malformed";
    const message = parsed.data;
    const text = commandText(message);
    // Pictures, voice, files: nothing to answer.
    if (text === undefined) return "ignored";
    if (!(await ctx.deps.memory.firstDelivery("dingtalk", message.msgId, ctx.deps.now()))) return "duplicate";
    const caller = { platform: "dingtalk" as const, userId: message.senderStaffId! };
    await ctx.answer(message, await ctx.handlers.command(caller, text));
    return "handled";
  });
}

const cardCallbackSchema = z.object({
  outTrackId: z.string().min(1),
  userId: z.string().min(1),
  content: z.string(),
});
const cardContentSchema = z.object({
  cardPrivateData: z.object({
    actionIds: z.array(z.string()).min(1),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
});

/** An interactive card's button press (TOPIC_CARD); deliveryId is the Stream push's messageId. */
export async function receiveCardCallback(
  data: unknown,
  deliveryId: string,
  ctx: InboundContext,
): Promise<InboundOutcome> {
  return counted(ctx, async () => {
    const callback = cardCallbackSchema.safeParse(data);
    if (!callback.success) return "malformed";
    let content: unknown;
    try {
      content = JSON.parse(callback.data.content);
    } catch {
      return "malformed";
    }
    const press = cardContentSchema.safeParse(content);
    if (!press.success) return "malformed";
    if (!(await ctx.deps.memory.firstDelivery("dingtalk", `card:${deliveryId}`, ctx.deps.now()))) {
      return "duplicate";
    }
    const { userId, outTrackId } = callback.data;
    const { actionIds, params } = press.data.cardPrivateData;
    const value = typeof params.value === "string" ? params.value : JSON.stringify(params);
    const reply = await ctx.handlers.click({
      caller: { platform: "dingtalk", userId },
      actionId: actionIds[0]!,
      value,
      message: { platform: "dingtalk", ref: outTrackId },
    });
    if (reply) await ctx.answerUser(userId, reply);
    return "handled";
  });
}

async function counted(ctx: InboundContext, work: () => Promise<InboundOutcome>): Promise<InboundOutcome> {
  let outcome: InboundOutcome;
  try {
    outcome = await work();
  } catch (error) {
    ctx.deps.log.error({ err: error, platform: "dingtalk" }, "inbound message failed");
    outcome = "error";
  }
  ctx.deps.metrics.inbound.inc({ platform: "dingtalk", outcome });
  return outcome;
}
