import { FEISHU_ERRORS, type FeishuAnswer, failure, success } from "./answers.ts";
import { type FakeImage, imageKeysIn } from "./images.ts";

/** A message as the fake holds it after sends, replies and card updates. */
export interface FakeMessage {
  messageId: string;
  chatId: string;
  msgType: string;
  /** The JSON string Feishu stores: `{"text":"…"}` or the card. */
  content: string;
  /** Set on replies: the message replied to. */
  parentId?: string;
  /** The app whose token sent it. */
  appId: string;
  createTime: number;
  updateTime: number;
  /** How many times PATCH replaced the card. */
  updates: number;
}

export interface ImRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  appId: string;
}

export interface MessageStore {
  messages: Map<string, FakeMessage>;
  /** Feishu sends one message per uuid (within an hour); a repeat gets the first one back. */
  byUuid: Map<string, FakeMessage>;
  nextId: () => string;
  now: () => number;
  /** Uploaded images by image_key: a card may show only those of its own app. */
  images?: ReadonlyMap<string, FakeImage>;
}

const RECEIVE_ID_TYPES = new Set(["open_id", "user_id", "union_id", "email", "chat_id"]);
const REPLY_PATH = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/;
const MESSAGE_PATH = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/;

/** Answers the IM message routes, or undefined when the request is for none of them. */
export function answerMessages(req: ImRequest, store: MessageStore): FeishuAnswer | undefined {
  if (req.method === "POST" && req.pathname === "/open-apis/im/v1/messages") return send(req, store);
  const reply = REPLY_PATH.exec(req.pathname);
  if (req.method === "POST" && reply) return replyTo(decodeURIComponent(reply[1]!), req, store);
  const patch = MESSAGE_PATH.exec(req.pathname);
  if (req.method === "PATCH" && patch) return updateCard(decodeURIComponent(patch[1]!), req, store);
  return undefined;
}

function send(req: ImRequest, store: MessageStore): FeishuAnswer {
  const receiveIdType = req.query.get("receive_id_type") ?? "";
  const receiveId = req.body.receive_id;
  if (!RECEIVE_ID_TYPES.has(receiveIdType) || typeof receiveId !== "string" || receiveId === "") {
    return failure(FEISHU_ERRORS.fieldValidation, "receive_id_type and receive_id are required");
  }
  // A bot's message to a person lands in their one-to-one chat with the bot.
  const chatId = receiveIdType === "chat_id" ? receiveId : `oc_p2p_${receiveId}`;
  return post(chatId, undefined, req, store);
}

function replyTo(parentId: string, req: ImRequest, store: MessageStore): FeishuAnswer {
  const parent = store.messages.get(parentId);
  if (!parent) return failure(FEISHU_ERRORS.invalidParameter, `unknown message_id ${parentId}`);
  return post(parent.chatId, parentId, req, store);
}

function post(chatId: string, parentId: string | undefined, req: ImRequest, store: MessageStore) {
  const { msg_type: msgType, content, uuid } = req.body;
  if (typeof msgType !== "string" || typeof content !== "string") {
    return failure(FEISHU_ERRORS.fieldValidation, "msg_type and content (a JSON string) are required");
  }
  const invalid = contentProblem(msgType, content) ?? imageProblem(content, req.appId, store);
  if (invalid) return failure(FEISHU_ERRORS.invalidParameter, invalid);
  const repeated = typeof uuid === "string" ? store.byUuid.get(uuid) : undefined;
  if (repeated) return success(messageData(repeated));
  const now = store.now();
  const message: FakeMessage = {
    messageId: store.nextId(),
    chatId,
    msgType,
    content,
    ...(parentId === undefined ? {} : { parentId }),
    appId: req.appId,
    createTime: now,
    updateTime: now,
    updates: 0,
  };
  store.messages.set(message.messageId, message);
  if (typeof uuid === "string") store.byUuid.set(uuid, message);
  return success(messageData(message));
}

function updateCard(messageId: string, req: ImRequest, store: MessageStore): FeishuAnswer {
  const message = store.messages.get(messageId);
  if (!message) return failure(FEISHU_ERRORS.invalidParameter, `unknown message_id ${messageId}`);
  if (message.msgType !== "interactive")
    return failure(FEISHU_ERRORS.invalidParameter, "This message is NOT a card.");
  const { content } = req.body;
  if (typeof content !== "string") return failure(FEISHU_ERRORS.fieldValidation, "content is required");
  const invalid = contentProblem("interactive", content) ?? imageProblem(content, req.appId, store);
  if (invalid) return failure(FEISHU_ERRORS.invalidParameter, invalid);
  message.content = content;
  message.updateTime = store.now();
  message.updates += 1;
  return success({});
}

/** Why Feishu would refuse this content, if it would. */
function contentProblem(msgType: string, content: string): string | undefined {
  const parsed = parseContent(content);
  if (parsed === undefined || typeof parsed !== "object" || parsed === null) {
    return "content is not a JSON object string";
  }
  if (msgType === "text" && typeof (parsed as { text?: unknown }).text !== "string") {
    return 'text content needs {"text": "…"}';
  }
  if (msgType === "interactive") {
    // Feishu refuses a card over 30 KB, and (JSON 2.0) one of more than 200 components.
    if (Buffer.byteLength(content) > CARD_BYTES)
      return `card is ${Buffer.byteLength(content)} bytes (at most ${CARD_BYTES})`;
    const components = componentsIn(parsed);
    if (components > CARD_COMPONENTS) return `card has ${components} components (at most ${CARD_COMPONENTS})`;
  }
  return undefined;
}

const CARD_BYTES = 30 * 1024;
const CARD_COMPONENTS = 200;

/** Objects with a `tag` in a card's body: its components, nested ones (columns, buttons) included. */
function componentsIn(value: unknown, inBody = false): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + componentsIn(v, inBody), 0);
  if (typeof value !== "object" || value === null) return 0;
  const record = value as Record<string, unknown>;
  let n = inBody && typeof record.tag === "string" && record.tag !== "plain_text" ? 1 : 0;
  for (const [key, v] of Object.entries(record)) n += componentsIn(v, inBody || key === "body");
  return n;
}

/** An img_key the app never uploaded (a guessed detail: Feishu's exact code for it is not documented). */
function imageProblem(content: string, appId: string, store: MessageStore): string | undefined {
  const unknown = imageKeysIn(parseContent(content)).find((key) => store.images?.get(key)?.appId !== appId);
  return unknown === undefined ? undefined : `img_key ${unknown} does not exist`;
}

/** The `content` JSON string parsed, or undefined when it is not JSON. */
export function parseContent(content: unknown): unknown {
  if (typeof content !== "string") return undefined;
  try {
    return JSON.parse(content);
  } catch {
    return undefined;
  }
}

/** The message object Feishu returns in `data`. */
function messageData(message: FakeMessage) {
  return {
    message_id: message.messageId,
    ...(message.parentId === undefined ? {} : { root_id: message.parentId, parent_id: message.parentId }),
    msg_type: message.msgType,
    create_time: String(message.createTime),
    update_time: String(message.updateTime),
    deleted: false,
    updated: message.updates > 0,
    chat_id: message.chatId,
    sender: { id: message.appId, id_type: "app_id", sender_type: "app", tenant_key: "fake_tenant" },
    body: { content: message.content },
  };
}
