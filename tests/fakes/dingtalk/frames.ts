import { randomBytes, randomUUID } from "node:crypto";
import type { RobotTextMessage } from "dingtalk-stream";

/** A frame DingTalk's Stream gateway pushes down the WebSocket. */
export interface DownstreamFrame {
  specVersion: "1.0";
  type: "SYSTEM" | "EVENT" | "CALLBACK";
  headers: Record<string, string>;
  /** The payload as a JSON string, never an object. */
  data: string;
}

/** A frame the client sends back: the ack of a push, or the answer to a ping. */
export interface UpstreamFrame {
  code: number;
  headers: { contentType?: string; messageId?: string; [name: string]: unknown };
  message: string;
  data: string;
}

/** The robot message DingTalk puts, as a JSON string, in the `data` of a `/v1.0/im/bot/messages/get` push. */
export interface RobotMessage extends RobotTextMessage {
  conversationTitle?: string;
  isInAtList?: boolean;
  atUsers?: { dingtalkId: string; staffId?: string }[];
}

/** Shaped like DingTalk's own: `212ca9d7_974_1898c159aa6_1783b`. */
export function streamMessageId(nowMs: number): string {
  const hex = (bytes: number) => randomBytes(bytes).toString("hex");
  return `${hex(4)}_${randomBytes(2).readUInt16BE() % 1000}_${nowMs.toString(16)}_${hex(3).slice(0, 5)}`;
}

export function callbackFrame(
  topic: string,
  data: object,
  headers: { appId: string; connectionId: string; nowMs: number },
) {
  const frame: DownstreamFrame = {
    specVersion: "1.0",
    type: "CALLBACK",
    headers: {
      appId: headers.appId,
      connectionId: headers.connectionId,
      contentType: "application/json",
      messageId: streamMessageId(headers.nowMs),
      time: String(headers.nowMs),
      topic,
    },
    data: JSON.stringify(data),
  };
  return frame;
}

/** `ping` carries an opaque id the client must echo; `disconnect` warns that the socket closes in ~10 s. */
export function systemFrame(topic: "ping" | "disconnect", nowMs: number): DownstreamFrame {
  const data = topic === "ping" ? { opaque: randomUUID() } : { reason: "connection is expired" };
  const headers = {
    contentType: "application/json",
    messageId: streamMessageId(nowMs),
    time: String(nowMs),
    topic,
  };
  return { specVersion: "1.0", type: "SYSTEM", headers, data: JSON.stringify(data) };
}

export interface RobotMessageContext {
  robotCode: string;
  nowMs: number;
  /** Where `sessionWebhook` points: the fake OpenAPI's base URL, or DingTalk's oapi by default. */
  sessionWebhookBaseUrl?: string;
}

/**
 * A robot message as DingTalk sends it: 1:1 (`conversationType: "1"`) unless `conversationType: "2"`.
 * In a group the text arrives with the @robot mention cut out but its trailing space left in: pass
 * `text: " 我的分数"` to reproduce that.
 */
/** What a test says about a robot message: its text, and any field it cares about. */
export type RobotMessageFields = Omit<Partial<RobotMessage>, "text"> & { text: string };

export function robotMessage(fields: RobotMessageFields, context: RobotMessageContext) {
  const { text, ...rest } = fields;
  const group = fields.conversationType === "2";
  const base = context.sessionWebhookBaseUrl ?? "https://oapi.dingtalk.com";
  const message: RobotMessage = {
    conversationId: `cid${randomBytes(12).toString("base64")}`,
    chatbotCorpId: "dingkpibotcorp",
    chatbotUserId: "$:LWCP_v1:$kpibot",
    msgId: `msg${randomBytes(12).toString("base64")}`,
    senderNick: "小张",
    isAdmin: false,
    senderStaffId: "staff-xiaozhang",
    sessionWebhookExpiredTime: context.nowMs + 90 * 60 * 1000,
    createAt: context.nowMs,
    senderCorpId: "dingkpibotcorp",
    conversationType: "1",
    senderId: "$:LWCP_v1:$xiaozhang",
    sessionWebhook: `${base}/robot/sendBySession?session=${randomUUID().replaceAll("-", "")}`,
    robotCode: context.robotCode,
    msgtype: "text",
    ...(group ? { conversationTitle: "客服一组", isInAtList: true } : {}),
    ...rest,
    text: { content: text },
  };
  return message;
}

/** A button press on an interactive card, as pushed on `/v1.0/card/instances/callback`. */
export function cardCallback(fields: {
  outTrackId: string;
  userId: string;
  actionId: string;
  params?: object;
}) {
  const cardPrivateData = { actionIds: [fields.actionId], params: fields.params ?? {} };
  return {
    type: "actionCallback",
    outTrackId: fields.outTrackId,
    userId: fields.userId,
    userIdType: 1,
    corpId: "dingkpibotcorp",
    extension: "{}",
    content: JSON.stringify({ cardPrivateData }),
  };
}
