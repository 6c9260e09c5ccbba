import { type ChatDirectory, DirectoryError, type DirectoryMatch } from "../directory.ts";
import { type HttpAnswer, postJson } from "./http-call.ts";

/**
 * DingTalk's directory: topapi/v2/user/getbymobile on oapi, one mobile a call, with the app's
 * access token (the same token as the robot's OpenAPI sends) in the query. It answers the
 * userid (staffId) the robot sends to. The app needs 根据手机号获取成员基本信息
 * (qyapi_get_member_by_mobile); people who left cannot be found.
 */

/** 60121 no such user; 40104 not a mobile number of the organisation. */
const NOT_FOUND = new Set([60121, 40104]);
/** oapi's codes for a token it does not take. */
const TOKEN_REFUSED = new Set([40001, 40014, 42001]);
/** No permission for the API (sometimes wrapped as 88 with subcode 60011). */
const NO_PERMISSION = new Set([60011, 88]);

export interface DingTalkDirectorySettings {
  apiUrl: string;
  oapiUrl: string;
  clientId: string;
  clientSecret: string;
}

export function dingtalkDirectory(
  settings: DingTalkDirectorySettings,
  now = () => new Date(),
): ChatDirectory {
  const base = (url: string) => url.replace(/\/+$/, "");
  return {
    platform: "dingtalk",
    lookups: ["mobile"],
    async find(people) {
      const wanted = people.filter((p) => p.mobile !== undefined);
      if (wanted.length === 0) return [];
      const token = await accessToken(`${base(settings.apiUrl)}/v1.0/oauth2/accessToken`, settings, now);
      const url = `${base(settings.oapiUrl)}/topapi/v2/user/getbymobile?access_token=${encodeURIComponent(token)}`;
      const matches: DirectoryMatch[] = [];
      for (const person of wanted) {
        const answer = await call(() => postJson(url, { mobile: person.mobile }, { nowMs: now().getTime() }));
        const userId = userIdOf(answer);
        if (userId !== undefined) matches.push({ key: person.key, userId, by: "mobile" });
      }
      return matches;
    },
  };
}

async function accessToken(
  url: string,
  settings: DingTalkDirectorySettings,
  now: () => Date,
): Promise<string> {
  const body = { appKey: settings.clientId, appSecret: settings.clientSecret };
  const answer = await call(() => postJson(url, body, { nowMs: now().getTime() }));
  const token = (answer.body as { accessToken?: unknown } | undefined)?.accessToken;
  if (answer.status >= 200 && answer.status < 300 && typeof token === "string" && token !== "") return token;
  if (answer.status === 429 || answer.status >= 500)
    throw unavailable(`accessToken answered HTTP ${answer.status}`);
  throw new DirectoryError(
    "dingtalk",
    "credentials",
    `DingTalk refused DINGTALK_CLIENT_ID / DINGTALK_CLIENT_SECRET (HTTP ${answer.status} ${String((answer.body as { code?: unknown })?.code ?? "")}): copy the app's AppKey and AppSecret`.replace(
      " )",
      ")",
    ),
  );
}

/** The request, with a network failure said as such (the URL holds the token: never shown). */
async function call(request: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
  try {
    return await request();
  } catch {
    throw unavailable("DingTalk could not be reached (network error)");
  }
}

function userIdOf(answer: HttpAnswer): string | undefined {
  if (answer.status === 429 || answer.status >= 500)
    throw unavailable(`getbymobile answered HTTP ${answer.status}`);
  const body = (answer.body ?? {}) as { errcode?: unknown; errmsg?: unknown; result?: { userid?: unknown } };
  const errcode = Number(body.errcode ?? Number.NaN);
  if (answer.status === 200 && errcode === 0 && typeof body.result?.userid === "string")
    return body.result.userid;
  if (NOT_FOUND.has(errcode)) return undefined;
  if (TOKEN_REFUSED.has(errcode))
    throw new DirectoryError(
      "dingtalk",
      "credentials",
      `getbymobile refused the access token (errcode ${errcode})`,
    );
  if (NO_PERMISSION.has(errcode))
    throw new DirectoryError(
      "dingtalk",
      "credentials",
      "the app lacks the permission 根据手机号获取成员基本信息 (qyapi_get_member_by_mobile): add it in the developer console",
    );
  // -1 is DingTalk's 系统繁忙 (busy); anything else is named as DingTalk named it.
  throw unavailable(
    `getbymobile answered HTTP ${answer.status} errcode ${errcode} ${String(body.errmsg ?? "")}`.trim(),
  );
}

const unavailable = (message: string) =>
  new DirectoryError("dingtalk", "unavailable", `${message}: try again later`);
