import { dingTalkSignature, SIGN_TOLERANCE_MS } from "./signing.ts";

/** A custom group robot: its webhook's access_token and, when 加签 is on, its SEC… secret. */
export interface WebhookRobot {
  accessToken: string;
  secret?: string;
}

/** What the webhook answers, always with HTTP 200. */
export interface WebhookAnswer {
  errcode: number;
  errmsg: string;
}

/** 20 messages a minute per robot; the 21st silences the robot for 10 minutes (DingTalk's robot docs). */
export const WEBHOOK_MESSAGES_PER_MINUTE = 20;
export const WEBHOOK_SILENCE_MS = 10 * 60 * 1000;

const MESSAGE_TYPES = new Set(["text", "link", "markdown", "actionCard", "feedCard"]);
const OK: WebhookAnswer = { errcode: 0, errmsg: "ok" };
const TOO_FAST: WebhookAnswer = { errcode: 130101, errmsg: "send too fast, exceed 20 times per minute" };

interface RobotState {
  robot: WebhookRobot;
  acceptedAt: number[];
  silencedUntil: number;
}

/** The custom group robots of a fake DingTalk, judging each POST /robot/send as DingTalk does. */
export class WebhookRobots {
  readonly #byToken = new Map<string, RobotState>();

  constructor(robots: WebhookRobot[]) {
    for (const robot of robots)
      this.#byToken.set(robot.accessToken, { robot, acceptedAt: [], silencedUntil: 0 });
  }

  answer(query: URLSearchParams, body: unknown, nowMs: number): WebhookAnswer {
    const state = this.#byToken.get(query.get("access_token") ?? "");
    if (!state) return { errcode: 300001, errmsg: "token is not exist" };
    const signFault =
      state.robot.secret === undefined ? undefined : checkSign(state.robot.secret, query, nowMs);
    if (signFault) return signFault;
    const messageFault = checkMessage(body);
    if (messageFault) return messageFault;
    return this.#admit(state, nowMs);
  }

  #admit(state: RobotState, nowMs: number): WebhookAnswer {
    if (nowMs < state.silencedUntil) return TOO_FAST;
    state.acceptedAt = state.acceptedAt.filter((at) => nowMs - at < 60_000);
    if (state.acceptedAt.length >= WEBHOOK_MESSAGES_PER_MINUTE) {
      state.silencedUntil = nowMs + WEBHOOK_SILENCE_MS;
      return TOO_FAST;
    }
    state.acceptedAt.push(nowMs);
    return OK;
  }
}

function checkSign(secret: string, query: URLSearchParams, nowMs: number): WebhookAnswer | undefined {
  const timestamp = query.get("timestamp") ?? "";
  // URLSearchParams decodes like DingTalk: %2B becomes "+", a bare "+" becomes a space and fails.
  const sign = query.get("sign") ?? "";
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs - Number(timestamp)) > SIGN_TOLERANCE_MS) {
    return { errcode: 310000, errmsg: `invalid timestamp ${timestamp}` };
  }
  if (sign !== dingTalkSignature(secret, Number(timestamp))) {
    return {
      errcode: 310000,
      errmsg: "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
    };
  }
  return undefined;
}

function checkMessage(body: unknown): WebhookAnswer | undefined {
  if (typeof body !== "object" || body === null) return { errcode: 40035, errmsg: "缺少参数 json" };
  const msgtype = (body as { msgtype?: unknown }).msgtype;
  if (typeof msgtype !== "string" || !MESSAGE_TYPES.has(msgtype)) {
    return { errcode: 40008, errmsg: "不合法的消息类型" };
  }
  return undefined;
}
