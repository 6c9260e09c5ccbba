import { FEISHU_ERRORS, type FeishuAnswer, failure, success } from "./answers.ts";
import type { ImRequest } from "./messages.ts";

/**
 * contact/v3/users/batch_get_id as Feishu answers it: up to 50 emails and 50 mobiles; each one
 * asked comes back in user_list, with a user_id (of user_id_type, open_id by default) when the
 * directory knows it and the app may see it, without one otherwise. Resigned users are found
 * only with include_resigned.
 */

export interface FakeDirectoryUser {
  openId: string;
  email?: string;
  /** As Feishu keeps it: +86 and the number for China. */
  mobile?: string;
  resigned?: boolean;
}

const MAX_EACH = 50;
const plainMobile = (mobile: string) => mobile.replace(/^\+86/, "");

export function answerDirectory(
  req: ImRequest,
  users: readonly FakeDirectoryUser[],
): FeishuAnswer | undefined {
  if (req.method !== "POST" || req.pathname !== "/open-apis/contact/v3/users/batch_get_id") return undefined;
  const idType = req.query.get("user_id_type") ?? "open_id";
  if (idType !== "open_id") return failure(FEISHU_ERRORS.fieldValidation, "the fake knows open_id only");
  const {
    emails = [],
    mobiles = [],
    include_resigned: withResigned = false,
  } = req.body as {
    emails?: unknown;
    mobiles?: unknown;
    include_resigned?: unknown;
  };
  if (!isStrings(emails) || !isStrings(mobiles) || emails.length > MAX_EACH || mobiles.length > MAX_EACH)
    return failure(FEISHU_ERRORS.fieldValidation, "emails and mobiles: at most 50 strings each");
  const visible = users.filter((u) => withResigned === true || !u.resigned);
  const status = (u: FakeDirectoryUser) => ({
    is_frozen: false,
    is_resigned: u.resigned === true,
    is_activated: true,
    is_exited: false,
    is_unjoin: false,
  });
  const byEmail = emails.map((email) => {
    const user = visible.find((u) => u.email?.toLowerCase() === email.toLowerCase());
    return user ? { email, user_id: user.openId, status: status(user) } : { email };
  });
  const byMobile = mobiles.map((mobile) => {
    const user = visible.find((u) => u.mobile !== undefined && plainMobile(u.mobile) === plainMobile(mobile));
    return user ? { mobile, user_id: user.openId, status: status(user) } : { mobile };
  });
  return success({ user_list: [...byEmail, ...byMobile] });
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string");
