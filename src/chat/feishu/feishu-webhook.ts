import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as lark from "@larksuiteoapi/node-sdk";
import type { Route } from "../../server/http-server.ts";
import type { InboundOutcome } from "../../server/metrics.ts";
import type { AdapterDeps } from "../adapter.ts";
import { fresh } from "../inbound-once.ts";

/**
 * POST /feishu/events: what Feishu posts, checked before the SDK's EventDispatcher sees it.
 * The SDK checks no time window (a signed request from 2020 still runs), never compares the
 * Verification Token, answers a forged signature with HTTP 200, and its url_verification path
 * (adaptDefault's autoChallenge) decrypts before any signature check. So here, in this order:
 * the signature over the raw bytes, the 5-minute window, decryption, the token; then the
 * challenge is answered here and events go to the dispatcher.
 */

export const FEISHU_EVENTS_PATH = "/feishu/events";

export interface FeishuWebhookSettings {
  encryptKey: string;
  verificationToken: string;
}

export function feishuEventsRoute(
  settings: FeishuWebhookSettings,
  dispatcher: lark.EventDispatcher,
  deps: AdapterDeps,
): Route {
  const cipher = new lark.AESCipher(settings.encryptKey);
  const refuse = (res: ServerResponse, status: number, outcome: InboundOutcome) => {
    deps.metrics.inbound.inc({ platform: "feishu", outcome });
    answer(res, status, { error: outcome });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const raw = body.toString("utf8");
    const timestamp = header(req, "x-lark-request-timestamp");
    const nonce = header(req, "x-lark-request-nonce");
    const signature = header(req, "x-lark-signature");
    const expected = createHash("sha256")
      .update(timestamp + nonce + settings.encryptKey + raw)
      .digest("hex");
    if (!timestamp || !signature || !sameText(signature, expected)) return refuse(res, 401, "bad_signature");
    if (!fresh(Number(timestamp) * 1000, deps.now().getTime())) return refuse(res, 401, "stale");

    const envelope = jsonObject(raw);
    const payload = typeof envelope?.encrypt === "string" ? decrypt(cipher, envelope.encrypt) : undefined;
    if (!envelope || !payload) return refuse(res, 400, "malformed");
    const eventHeader = payload.header as { token?: unknown } | undefined;
    const token = payload.type === "url_verification" ? payload.token : eventHeader?.token;
    if (typeof token !== "string" || !sameText(token, settings.verificationToken)) {
      return refuse(res, 401, "bad_signature");
    }
    if (payload.type === "url_verification") {
      deps.metrics.inbound.inc({ platform: "feishu", outcome: "handled" });
      return answer(res, 200, { challenge: payload.challenge });
    }

    // The dispatcher wants the parsed body with the request headers on its prototype, as
    // adaptDefault builds it (so they stay out of the JSON it signs); it checks the signature
    // again, and answers undefined when it disagrees.
    const result: unknown = await dispatcher.invoke(
      Object.assign(Object.create({ headers: req.headers }), envelope),
    );
    if (result === undefined) return refuse(res, 401, "bad_signature");
    if (typeof result === "string") {
      // "no <type> event handle": an event the app subscribes to but the bot has no use for.
      deps.metrics.inbound.inc({ platform: "feishu", outcome: "ignored" });
      return answer(res, 200, {});
    }
    answer(res, 200, result);
  }

  // The server reads the body, refusing one over its limit (MAX_BODY_BYTES) with 413.
  return { method: "POST", path: FEISHU_EVENTS_PATH, platform: "feishu", handle };
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return typeof value === "string" ? value : "";
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function decrypt(cipher: lark.AESCipher, encrypted: string): Record<string, unknown> | undefined {
  try {
    return jsonObject(cipher.decrypt(encrypted));
  } catch {
    return undefined;
  }
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
