import * as lark from "@larksuiteoapi/node-sdk";
import {
  type ChatDirectory,
  DirectoryError,
  type DirectoryMatch,
  type DirectoryQuery,
} from "../directory.ts";
import { TokenCache } from "./feishu-api.ts";
import { feishuErrorOf, isInvalidToken } from "./feishu-errors.ts";

/**
 * Feishu's directory: contact/v3/users/batch_get_id, up to 50 emails and 50 mobiles a call,
 * answering open_ids (what the bot sends to). An email or mobile Feishu does not know (or the
 * app may not see) comes back without a user_id. The app needs "通过手机号或邮箱获取用户 ID"
 * (contact:user.id:readonly) and the people in its contact scope (通讯录权限范围).
 */

const PER_CALL = 50;
/** The token endpoint's answer to an unknown app id or a wrong secret. */
const BAD_APP_CODE = 10014;
/** "Access denied: one of the following scopes is required". */
const NO_SCOPE_CODE = 99991672;

export interface FeishuDirectorySettings {
  appId: string;
  appSecret: string;
  domain: string;
}

interface BatchAnswer {
  code?: number | undefined;
  msg?: string | undefined;
  data?:
    | {
        user_list?:
          | { user_id?: string | undefined; email?: string | undefined; mobile?: string | undefined }[]
          | undefined;
      }
    | undefined;
}

export function feishuDirectory(settings: FeishuDirectorySettings): ChatDirectory {
  const client = new lark.Client({
    appId: settings.appId,
    appSecret: settings.appSecret,
    domain: settings.domain,
    cache: new TokenCache(),
    // The SDK logs a failed call with its request (names, emails): the error says what we need.
    logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} },
  });
  return {
    platform: "feishu",
    lookups: ["email", "mobile"],
    async find(people) {
      const matches = new Map<string, DirectoryMatch>();
      for (const by of ["email", "mobile"] as const) {
        const wanted = people.filter((p) => p[by] !== undefined && !matches.has(p.key));
        for (let start = 0; start < wanted.length; start += PER_CALL) {
          const batch = wanted.slice(start, start + PER_CALL);
          for (const match of await batchGetId(client, batch, by)) matches.set(match.key, match);
        }
      }
      return [...matches.values()];
    },
  };
}

async function batchGetId(
  client: lark.Client,
  batch: DirectoryQuery[],
  by: "email" | "mobile",
): Promise<DirectoryMatch[]> {
  const values = batch.map((p) => p[by]!);
  let answer: BatchAnswer;
  try {
    answer = await client.contact.v3.user.batchGetId({
      params: { user_id_type: "open_id" },
      data: { [by === "email" ? "emails" : "mobiles"]: values, include_resigned: false },
    });
  } catch (error) {
    throw directoryErrorOf(error);
  }
  if ((answer.code ?? 0) !== 0) throw directoryErrorOf(answer);
  const found = new Map<string, string>();
  for (const user of answer.data?.user_list ?? []) {
    const value = by === "email" ? user.email?.toLowerCase() : user.mobile;
    if (value !== undefined && user.user_id) found.set(value, user.user_id);
  }
  return batch.flatMap((p) => {
    const userId = found.get(by === "email" ? p.email!.toLowerCase() : p.mobile!);
    return userId === undefined ? [] : [{ key: p.key, userId, by }];
  });
}

function directoryErrorOf(outcome: unknown): DirectoryError {
  const failure = feishuErrorOf("contact/v3/users/batch_get_id", outcome);
  const code = codeOf(outcome);
  if (
    isInvalidToken(outcome) ||
    code === BAD_APP_CODE ||
    /app (secret invalid|id not exists)/i.test(failure.message)
  )
    return new DirectoryError(
      "feishu",
      "credentials",
      "Feishu refused FEISHU_APP_ID / FEISHU_APP_SECRET (no tenant token): copy them from the app's 凭证与基础信息 page",
    );
  if (code === NO_SCOPE_CODE)
    return new DirectoryError(
      "feishu",
      "credentials",
      "the app lacks the permission 通过手机号或邮箱获取用户 ID (contact:user.id:readonly): add it and publish a new version",
    );
  const detail = failure.message.replace(/^feishu: /, "");
  return new DirectoryError(
    "feishu",
    failure.retryable ? "unavailable" : "credentials",
    `${detail}${failure.retryable ? ": try again later" : ""}`,
  );
}

function codeOf(outcome: unknown): number | undefined {
  const body = (outcome as { response?: { data?: unknown } } | null)?.response?.data ?? outcome;
  const code = (body as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}
