import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { ScopeCount } from "../rate-window.ts";
import { CallLog, type Failure, type RecordedCall } from "./call-log.ts";
import { isRecord, readBody, sendJson } from "./http-json.ts";
import { answerMediaUpload, type FakeMedia, isMultipart, readMultipart } from "./media.ts";
import { type DingTalkLimits, dingtalkRateLimits } from "./rate-limits.ts";
import { type WebhookRobot, WebhookRobots } from "./webhook.ts";

/** An enterprise internal app: its AppKey/AppSecret and the robotCode of its robot (DingTalk uses the AppKey). */
export interface FakeApp {
  appKey: string;
  appSecret: string;
  robotCode: string;
}

export const defaultApp: FakeApp = {
  appKey: "dingkpibot0001",
  appSecret: "kpi-bot-app-secret",
  robotCode: "dingkpibot0001",
};
export const defaultWebhookRobot: WebhookRobot = { accessToken: "kpi-digest-robot", secret: "SECkpi-digest" };

export interface FakeDingTalkOptions {
  apps?: FakeApp[];
  webhookRobots?: WebhookRobot[];
  /** Drives token expiry, the webhook's timestamp check and its 20-a-minute window. */
  clock?: () => number;
  tokenTtlSeconds?: number;
  /** Enforce these QPS limits on the robot's sends (rate-limits.ts); none by default. */
  limits?: DingTalkLimits;
  /** Groups by openConversationId, with the robotCodes of the robots in each. */
  groups?: Record<string, string[]>;
  /** The organisation's people, for topapi/v2/user/getbymobile. */
  staff?: FakeStaff[];
}

/** Someone of the organisation: their userid (staffId) and the mobile getbymobile finds them by. */
export interface FakeStaff {
  userId: string;
  mobile: string;
  /** Left the organisation: getbymobile no longer finds them. */
  left?: boolean;
}

export interface FakeDingTalk {
  /** Stands in for both https://api.dingtalk.com and https://oapi.dingtalk.com. */
  baseUrl: string;
  calls: RecordedCall[];
  callsTo(path: string): RecordedCall[];
  failNext(path: string, failure: Failure, times?: number): void;
  /** Every access token issued so far stops working, as when DingTalk's 7200 s run out. */
  expireTokens(): void;
  /** Puts a robot into a group (creating the group), as adding it in the group's settings does. */
  addRobotToGroup(openConversationId: string, robotCode: string): void;
  /** The organisation's people getbymobile finds (add to it to grow the directory). */
  staff: FakeStaff[];
  /** Files uploaded with oapi's media/upload, by media_id. */
  media: ReadonlyMap<string, FakeMedia>;
  /** What each rate-limit scope admitted and throttled (with `limits` given). */
  limitCounts(): ScopeCount[];
  close(): Promise<void>;
}

interface Request {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  nowMs: number;
}
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
type Route = (request: Request) => Answer;

export async function startFakeDingTalk(options: FakeDingTalkOptions = {}): Promise<FakeDingTalk> {
  const clock = options.clock ?? Date.now;
  const apps = options.apps ?? [defaultApp];
  const ttlMs = (options.tokenTtlSeconds ?? 7200) * 1000;
  const tokens = new Map<string, { app: FakeApp; expiresAt: number }>();
  const robots = new WebhookRobots(options.webhookRobots ?? [defaultWebhookRobot]);
  const log = new CallLog();
  const media = new Map<string, FakeMedia>();
  const limits = dingtalkRateLimits(options.limits ?? {});
  const groups = new Map(Object.entries(options.groups ?? {}).map(([id, robots]) => [id, new Set(robots)]));
  const staff = [...(options.staff ?? [])];

  const appOf = (request: Request): FakeApp | undefined => {
    // The OpenAPI takes the token in a header, the old oapi endpoints in the query; it is one token.
    const token = request.headers["x-acs-dingtalk-access-token"] ?? request.query.get("access_token");
    const issued = tokens.get(String(token ?? ""));
    return issued && request.nowMs < issued.expiresAt ? issued.app : undefined;
  };

  const routes: Record<string, Route> = {
    "POST /v1.0/oauth2/accessToken": ({ body, nowMs }) => {
      const app = apps.find(
        (a) => isRecord(body) && a.appKey === body.appKey && a.appSecret === body.appSecret,
      );
      if (!app) return openApiError(400, "invalidClientIdOrSecret", "无效的clientId或者clientSecret");
      // Within its validity DingTalk hands back the same token and renews it.
      const token = [...tokens].find(([, t]) => t.app === app && nowMs < t.expiresAt)?.[0] ?? randomUUID();
      tokens.set(token, { app, expiresAt: nowMs + ttlMs });
      return { status: 200, body: { accessToken: token, expireIn: ttlMs / 1000 } };
    },
    "POST /v1.0/robot/oToMessages/batchSend": (request) => {
      const fault = robotMessageFault(request.body, appOf(request), media);
      if (fault) return fault;
      const { userIds } = request.body as { userIds?: unknown };
      if (!Array.isArray(userIds) || userIds.length === 0 || userIds.length > 20) {
        return openApiError(400, "invalidParameter.userIds.invalid", "userIds 为空或超过20个");
      }
      const body = { processQueryKey: randomUUID(), invalidStaffIdList: [], flowControlledStaffIdList: [] };
      return { status: 200, body };
    },
    "POST /v1.0/robot/groupMessages/send": (request) => {
      const fault = robotMessageFault(request.body, appOf(request), media);
      if (fault) return fault;
      if (typeof (request.body as { openConversationId?: unknown }).openConversationId !== "string") {
        return openApiError(400, "invalid.openConversationId", "无效的openConversationId");
      }
      return { status: 200, body: { processQueryKey: randomUUID() } };
    },
    // The robots in a group (GetBotListInGroup); DingTalk wants qyapi_chat_manage for it.
    "POST /v1.0/robot/groups/robots/query": (request) => {
      if (!appOf(request)) return badToken();
      const id = isRecord(request.body) ? request.body.openConversationId : undefined;
      const robots = typeof id === "string" ? groups.get(id) : undefined;
      if (!robots) return openApiError(400, "invalid.openConversationId", "无效的openConversationId");
      const chatbotInstanceVOList = [...robots].map((robotCode) => ({
        robotCode,
        name: robotCode,
        openRobotType: 1,
      }));
      return { status: 200, body: { chatbotInstanceVOList } };
    },
    "PUT /v1.0/card/instances": (request) => {
      if (!appOf(request)) return badToken();
      const { body } = request;
      if (!isRecord(body) || typeof body.outTrackId !== "string" || body.outTrackId === "") {
        return openApiError(400, "param.outTrackIdEmpty", "param.outTrackIdEmpty");
      }
      if (!isRecord(body.cardData)) return openApiError(400, "param.cardDataEmpty", "param.cardDataEmpty");
      return { status: 200, body: { success: true, result: true } };
    },
    "POST /media/upload": (request) => ({
      status: 200,
      body: answerMediaUpload(request.query, request.body, appOf(request)?.appKey, media),
    }),
    // oapi: the token in the query, errors as HTTP 200 with an errcode, as DingTalk answers them.
    "POST /topapi/v2/user/getbymobile": (request) => {
      if (!appOf(request)) return { status: 200, body: { errcode: 40014, errmsg: "不合法的access_token" } };
      const mobile = isRecord(request.body) ? request.body.mobile : undefined;
      if (typeof mobile !== "string" || mobile === "")
        return { status: 200, body: { errcode: 400002, errmsg: "无效的参数", request_id: randomUUID() } };
      const person = staff.find((s) => s.mobile === mobile && !s.left);
      if (!person)
        return { status: 200, body: { errcode: 60121, errmsg: "找不到该用户", request_id: randomUUID() } };
      return {
        status: 200,
        body: { errcode: 0, errmsg: "ok", result: { userid: person.userId }, request_id: randomUUID() },
      };
    },
    "POST /robot/send": ({ query, body, nowMs }) => ({
      status: 200,
      body: robots.answer(query, body, nowMs),
    }),
    "POST /robot/sendBySession": ({ body }) => ({
      status: 200,
      body: isRecord(body) && typeof body.msgtype === "string" ? { errcode: 0, errmsg: "ok" } : NO_JSON,
    }),
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const request: Request = {
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: isMultipart(req) ? await readMultipart(req) : await readBody(req),
      nowMs: clock(),
    };
    const route = routes[`${req.method} ${request.path}`];
    const throttled = route && limits.judge(request.path, appOf(request)?.appKey, request.nowMs);
    const failure = !throttled && route && log.takeFailure(request.path);
    const answer =
      throttled || (failure ? failed(request.path, failure) : route ? route(request) : notFound());
    log.calls.push({
      method: req.method ?? "",
      path: request.path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: request.body,
      ...msgParamOf(request.body),
      status: answer.status,
      response: answer.body,
      atMs: request.nowMs,
    });
    sendJson(res, answer.status, answer.body, answer.headers);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls: log.calls,
    callsTo: (path) => log.callsTo(path),
    failNext: (path, failure, times) => log.failNext(path, failure, times),
    expireTokens: () => tokens.clear(),
    addRobotToGroup(id, robotCode) {
      groups.set(id, new Set([...(groups.get(id) ?? []), robotCode]));
    },
    staff,
    media,
    limitCounts: () => limits.counts(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const NO_JSON = { errcode: 40035, errmsg: "缺少参数 json" };

function openApiError(status: number, code: string, message: string): Answer {
  return { status, body: { code, message, requestid: randomUUID().toUpperCase() } };
}

// DingTalk answers a bad or expired token with HTTP 400, not 401.
const badToken = () => openApiError(400, "InvalidAuthentication", "不合法的access_token");
const notFound = () =>
  openApiError(
    404,
    "InvalidAction.NotFound",
    "Specified api is not found, please check your url and method.",
  );

/** The `code` DingTalk's OpenAPI puts on each kind of failure a test injects. */
function failureCode(status: number): string {
  if (status === 403) return "Forbidden.AccessDenied.QpsLimitForApi";
  if (status === 429) return "Throttling";
  return status >= 500 ? "ServiceUnavailable" : "InvalidParameter";
}

/** A queued failure in the shape of the endpoint it stands in for: `{errcode}` on oapi, `{code}` on the OpenAPI. */
function failed(path: string, failure: Failure): Answer {
  const oapi = path.startsWith("/robot/") || path.startsWith("/media/") || path.startsWith("/topapi/");
  const fallback = oapi
    ? { errcode: -1, errmsg: "系统繁忙" }
    : openApiError(0, failureCode(failure.status), "injected").body;
  const body = failure.body ?? fallback;
  return { status: failure.status, body, ...(failure.headers ? { headers: failure.headers } : {}) };
}

/** What is wrong with a robot message for this token's app, if anything: the token, robotCode, msgKey, msgParam. */
function robotMessageFault(
  body: unknown,
  app: FakeApp | undefined,
  media: ReadonlyMap<string, FakeMedia>,
): Answer | undefined {
  if (!app) return badToken();
  if (!isRecord(body)) return openApiError(400, "invalidParameter.param.invalid", "参数不合法");
  if (body.robotCode !== app.robotCode)
    return openApiError(400, "invalidParameter.robotCode.invalid", "无效的robotCode");
  if (typeof body.msgKey !== "string" || body.msgKey === "") {
    return openApiError(400, "invalidParameter.msgKey.invalid", "无效的msgKey");
  }
  const { msgParam } = msgParamOf(body);
  if (msgParam === undefined) return openApiError(400, "invalidParameter.msgParam.invalid", "无效的msgParam");
  const templateFault = templateProblem(body.msgKey, msgParam);
  if (templateFault) return openApiError(400, "invalidParameter.msgKey.invalid", templateFault);
  // A picture is shown by a public URL or by the media_id of this app's upload.
  const photo = body.msgKey === "sampleImageMsg" && isRecord(msgParam) ? msgParam.photoURL : undefined;
  if (
    body.msgKey === "sampleImageMsg" &&
    !(typeof photo === "string" && (/^https?:\/\//.test(photo) || media.get(photo)?.appKey === app.appKey))
  ) {
    return openApiError(400, "invalidParameter.msgParam.invalid", "无效的photoURL");
  }
  return undefined;
}

/**
 * DingTalk's robot message templates: markdown, a one-button action card (singleTitle/singleURL)
 * and sampleActionCard2 … 5 with actionTitleN/actionURLN for each of their buttons; there is no
 * template for six buttons or more. Other templates (text, link, image …) are not checked here.
 */
const ACTION_CARD = /^sampleActionCard(\d*)$/;
function templateProblem(msgKey: string, msgParam: unknown): string | undefined {
  const card = ACTION_CARD.exec(msgKey);
  if (!card) return undefined;
  if (!isRecord(msgParam)) return "无效的msgParam";
  if (card[1] === "") {
    return typeof msgParam.singleTitle === "string" && typeof msgParam.singleURL === "string"
      ? undefined
      : "无效的msgParam: singleTitle, singleURL";
  }
  const buttons = Number(card[1]);
  if (buttons < 2 || buttons > 5) return `无效的msgKey: ${msgKey}`;
  for (let i = 1; i <= buttons; i++)
    if (typeof msgParam[`actionTitle${i}`] !== "string" || typeof msgParam[`actionURL${i}`] !== "string")
      return `无效的msgParam: actionTitle${i}, actionURL${i}`;
  return undefined;
}

function msgParamOf(body: unknown): { msgParam?: unknown } {
  if (!isRecord(body) || typeof body.msgParam !== "string") return {};
  try {
    return { msgParam: JSON.parse(body.msgParam) };
  } catch {
    return {};
  }
}
