import * as lark from "@larksuiteoapi/node-sdk";

/**
 * What `kpi doctor` asks Feishu: does the app get a tenant access token with its id and secret,
 * and is the bot in each digest group (im.v1.chatMembers.isInChat). Plain answers; the doctor
 * says what to do. The secret goes to Feishu only, never into an answer.
 */

export type FeishuTokenCheck = { ok: true } | { ok: false; error: string };
export type FeishuChatCheck = { ok: true; member: boolean } | { ok: false; error: string };

export interface FeishuChecks {
  token(): Promise<FeishuTokenCheck>;
  chat(chatId: string): Promise<FeishuChatCheck>;
}

interface Body {
  code?: number | undefined;
  msg?: string | undefined;
}

/** Feishu's code and message, from an answer or from the SDK's thrown non-2xx. */
function errorOf(error: unknown): string {
  const response = (error as { response?: { status?: number; data?: Body } }).response;
  if (response?.data?.code !== undefined) return `${response.data.code} ${response.data.msg ?? ""}`.trim();
  if (response?.status !== undefined) return `HTTP ${response.status}`;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `no answer from Feishu (${code})` : "no answer from Feishu";
}

/** Where an internal app gets its tenant access token (auth/v3). */
export const TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";

const failed = (body: Body) => `${body.code} ${body.msg ?? ""}`.trim();

export function feishuChecks(settings: { domain: string; appId: string; appSecret: string }): FeishuChecks {
  const client = new lark.Client({
    appId: settings.appId,
    appSecret: settings.appSecret,
    domain: settings.domain,
    // Silent: the checks report what they found themselves. (LoggerLevel.fatal is 0, which the
    // SDK's `loggerLevel || info` turns into info: its "client ready" landed among kpi doctor's lines.)
    logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} },
  });
  return {
    // Asked directly: the SDK's own call for it first fetches a token for itself, and fails
    // without Feishu's answer when the secret is wrong.
    async token() {
      let response: Response;
      try {
        response = await fetch(`${settings.domain.replace(/\/+$/, "")}${TOKEN_PATH}`, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body: JSON.stringify({ app_id: settings.appId, app_secret: settings.appSecret }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        return {
          ok: false,
          error: `no answer from Feishu (${error instanceof Error ? error.name : "error"})`,
        };
      }
      const body = (await response.json().catch(() => ({}))) as Body;
      if (!response.ok && body.code === undefined) return { ok: false, error: `HTTP ${response.status}` };
      return (body.code ?? 0) === 0 ? { ok: true } : { ok: false, error: failed(body) };
    },
    async chat(chatId) {
      try {
        const body = await client.im.v1.chatMembers.isInChat({ path: { chat_id: chatId } });
        if ((body.code ?? 0) !== 0) return { ok: false, error: failed(body) };
        return { ok: true, member: body.data?.is_in_chat === true };
      } catch (error) {
        return { ok: false, error: errorOf(error) };
      }
    },
  };
}
