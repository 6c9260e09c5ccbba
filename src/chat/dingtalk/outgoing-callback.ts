import { timingSafeEqual } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Route } from "../../server/http-server.ts";
import type { InboundOutcome } from "../../server/metrics.ts";
import type { AdapterDeps } from "../adapter.ts";
import { fresh } from "../inbound-once.ts";
import { dingTalkDigest } from "./webhook-robot.ts";

/**
 * POST /dingtalk/events: a robot message delivered over HTTP (the robot's "HTTP" receive mode)
 * instead of Stream. DingTalk signs it with headers `timestamp` (ms) and `sign` =
 * base64(HMAC-SHA256(AppSecret, `${timestamp}\n${AppSecret}`)) and allows an hour either way.
 * The answer is 200 at once; the message is then handled like a Stream push.
 */

export const CALLBACK_WINDOW_MS = 60 * 60_000;

export const OUTGOING_CALLBACK_PATH = "/dingtalk/events";

export function outgoingCallbackRoute(
  appSecret: string,
  deps: AdapterDeps,
  receive: (body: unknown) => void,
): Route {
  const reject = (res: ServerResponse, status: number, outcome: InboundOutcome) => {
    deps.metrics.inbound.inc({ platform: "dingtalk", outcome });
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: outcome }));
  };
  return {
    method: "POST",
    path: OUTGOING_CALLBACK_PATH,
    // The server reads the body, refusing one over its limit (MAX_BODY_BYTES) with 413.
    platform: "dingtalk",
    async handle(req, res, body) {
      const raw = body.toString("utf8");
      const timestamp = String(req.headers.timestamp ?? "");
      const sign = String(req.headers.sign ?? "");
      if (!/^\d{1,16}$/.test(timestamp) || !signedBy(appSecret, timestamp, sign)) {
        return reject(res, 401, "bad_signature");
      }
      if (!fresh(Number(timestamp), deps.now().getTime(), CALLBACK_WINDOW_MS))
        return reject(res, 401, "stale");
      let message: unknown;
      try {
        message = JSON.parse(raw);
      } catch {
        return reject(res, 400, "malformed");
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      receive(message);
    },
  };
}

function signedBy(secret: string, timestamp: string, sign: string): boolean {
  const expected = dingTalkDigest(secret, timestamp);
  const given = Buffer.from(sign, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
