import { createHmac } from "node:crypto";

/** DingTalk refuses a signed request whose timestamp is more than an hour away from its own clock. */
export const SIGN_TOLERANCE_MS = 60 * 60 * 1000;

/** base64(HMAC-SHA256(key = secret, `${timestamp}\n${secret}`)) — the one recipe behind both signatures. */
export function dingTalkSignature(secret: string, timestampMs: number): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`).digest("base64");
}

/**
 * The `sign` query parameter of a custom group robot's webhook, URL-encoded as DingTalk expects:
 * base64 holds `+`, `/` and `=`, and an unencoded `+` reaches DingTalk as a space.
 */
export function webhookSign(secret: string, timestampMs: number): string {
  return encodeURIComponent(dingTalkSignature(secret, timestampMs));
}

/** The URL a custom group robot posts to, signed at `timestampMs`. */
export function signedWebhookUrl(baseUrl: string, accessToken: string, secret: string, timestampMs: number) {
  const token = encodeURIComponent(accessToken);
  return `${baseUrl}/robot/send?access_token=${token}&timestamp=${timestampMs}&sign=${webhookSign(secret, timestampMs)}`;
}

/**
 * The headers DingTalk puts on an HTTP outgoing-robot callback it sends to us: `timestamp` in ms and
 * `sign` keyed by the app's AppSecret, plain base64 (headers are not URL-decoded).
 */
export function outgoingCallbackHeaders(appSecret: string, timestampMs: number) {
  return { timestamp: String(timestampMs), sign: dingTalkSignature(appSecret, timestampMs) };
}
