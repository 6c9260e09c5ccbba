import { ChatSendError } from "../adapter.ts";
import { type HttpAnswer, openApiFailure, postJson } from "./http-call.ts";

/**
 * What `kpi doctor` asks DingTalk: does the app get an access token with its client id and
 * secret, and is the robot in each digest group (the group's robot list). A custom webhook robot
 * answers nothing without posting a message, so only its URL's shape is checked. Plain answers;
 * the doctor says what to do. Secrets go to DingTalk only, never into an answer.
 */

export type DingTalkTokenCheck = { ok: true; token: string } | { ok: false; error: string };
export type DingTalkGroupCheck =
  | { ok: true; member: boolean }
  /** The app lacks the optional permission the robot list needs: membership cannot be told. */
  | { ok: "unknown"; permission: string }
  | { ok: false; error: string };

/** The permission DingTalk names when a token may not read a group's robot list. */
const GROUP_ROBOTS_PERMISSION = "qyapi_chat_manage";
export const GROUP_ROBOTS_PATH = "/v1.0/robot/groups/robots/query";

const base = (url: string) => url.replace(/\/+$/, "");

/** ChatSendError's message without its "dingtalk: " prefix: the doctor names the platform itself. */
const withoutPlatform = (error: ChatSendError) => error.message.replace(/^dingtalk: /, "");

function failureText(what: string, answer: HttpAnswer): string | undefined {
  const failure = openApiFailure(what, answer);
  return failure && withoutPlatform(failure);
}

async function answered(run: () => Promise<HttpAnswer>): Promise<HttpAnswer | string> {
  try {
    return await run();
  } catch (error) {
    return error instanceof ChatSendError ? withoutPlatform(error) : "no answer from DingTalk";
  }
}

export async function dingtalkToken(settings: {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
}): Promise<DingTalkTokenCheck> {
  const body = { appKey: settings.clientId, appSecret: settings.clientSecret };
  const answer = await answered(() =>
    postJson(`${base(settings.apiUrl)}/v1.0/oauth2/accessToken`, body, { nowMs: Date.now() }),
  );
  if (typeof answer === "string") return { ok: false, error: answer };
  const failure = failureText("accessToken", answer);
  if (failure) return { ok: false, error: failure };
  const token = (answer.body as { accessToken?: unknown } | undefined)?.accessToken;
  return typeof token === "string" && token !== ""
    ? { ok: true, token }
    : { ok: false, error: "accessToken: no token in the answer" };
}

export async function dingtalkGroup(
  settings: { apiUrl: string; robotCode: string; token: string },
  openConversationId: string,
): Promise<DingTalkGroupCheck> {
  const answer = await answered(() =>
    postJson(
      `${base(settings.apiUrl)}${GROUP_ROBOTS_PATH}`,
      { openConversationId },
      { headers: { "x-acs-dingtalk-access-token": settings.token }, nowMs: Date.now() },
    ),
  );
  if (typeof answer === "string") return { ok: false, error: answer };
  const code = String((answer.body as { code?: unknown } | undefined)?.code ?? "");
  if (answer.status === 403 && code.includes("PermissionDenied"))
    return { ok: "unknown", permission: GROUP_ROBOTS_PERMISSION };
  const failure = failureText("groups/robots/query", answer);
  if (failure) return { ok: false, error: failure };
  const robots = (answer.body as { chatbotInstanceVOList?: { robotCode?: unknown }[] } | undefined)
    ?.chatbotInstanceVOList;
  return { ok: true, member: (robots ?? []).some((robot) => robot.robotCode === settings.robotCode) };
}

/** What is wrong with a custom robot's webhook URL and secret, by their shape; undefined when nothing. */
export function webhookShapeProblem(url: string, secret: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "DINGTALK_WEBHOOK_URL is not a URL";
  }
  if (parsed.protocol !== "https:") return "DINGTALK_WEBHOOK_URL is not https";
  if (!parsed.pathname.endsWith("/robot/send") || !parsed.searchParams.get("access_token"))
    return "DINGTALK_WEBHOOK_URL is not a robot/send URL with an access_token";
  if (!secret.startsWith("SEC")) return "DINGTALK_WEBHOOK_SECRET does not start with SEC (the 加签 secret)";
  return undefined;
}
