import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type App,
  type BufferedIncomingMessage,
  HTTPModuleFunctions,
  HTTPResponseAck,
  type Logger,
  type Receiver,
} from "@slack/bolt";
import type { Route } from "../../server/http-server.ts";
import type { BotMetrics, InboundOutcome } from "../../server/metrics.ts";
import { fresh } from "../inbound-once.ts";

/**
 * Bolt's receiver for a route on our own HTTP server (Bolt's HTTPReceiver wants a server of its
 * own). The signature check and its 5-minute window are Bolt's (HTTPModuleFunctions); around it,
 * three gaps are closed: Bolt reads the body whole, without limit, before checking the signature
 * (so our server reads it, up to its limit, and hands Bolt the bytes); it compares the form
 * content type with `===`, so a "; charset=utf-8" suffix would make it JSON.parse a form body; and
 * its window only looks backwards, so a timestamp far in the future would pass.
 */

export const SLACK_EVENTS_PATH = "/slack/events";

export interface RouteReceiverOptions {
  signingSecret: string;
  metrics: BotMetrics;
  logger: Logger;
  now: () => Date;
}

const FORM = "application/x-www-form-urlencoded";

/** Bolt reads the header itself; give it the bare media type Slack means. */
function normaliseFormContentType(req: IncomingMessage): void {
  const mediaType = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType === FORM) req.headers["content-type"] = FORM;
}

function signedAtMs(req: IncomingMessage): number {
  const header = req.headers["x-slack-request-timestamp"];
  return typeof header === "string" && /^\d+$/.test(header) ? Number(header) * 1000 : Number.NaN;
}

export class SlackRouteReceiver implements Receiver {
  private app: App | undefined;
  private accepting = false;
  private readonly inFlight = new Set<Promise<void>>();
  readonly route: Route = {
    method: "POST",
    path: SLACK_EVENTS_PATH,
    platform: "slack",
    handle: (req, res, body) => this.handle(req, res, body),
  };

  constructor(private readonly options: RouteReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    this.accepting = true;
  }

  /** Bolt keeps running listeners after the ack: wait for those already running. */
  async stop(): Promise<void> {
    this.accepting = false;
    await Promise.allSettled([...this.inFlight]);
  }

  private count(outcome: InboundOutcome): void {
    this.options.metrics.inbound.inc({ platform: "slack", outcome });
  }

  private refuse(res: ServerResponse, status: number, outcome: InboundOutcome): void {
    this.count(outcome);
    HTTPModuleFunctions.buildNoBodyResponse(res, status);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): Promise<void> {
    if (!this.accepting || !this.app) return HTTPModuleFunctions.buildNoBodyResponse(res, 503);
    normaliseFormContentType(req);
    const isFresh = fresh(signedAtMs(req), this.options.now().getTime());
    let buffered: BufferedIncomingMessage;
    try {
      // A request carrying its rawBody is taken as read (bufferIncomingMessage): Bolt checks the
      // signature over these bytes and never touches the stream.
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        { signingSecret: this.options.signingSecret, logger: this.options.logger },
        Object.assign(req, { rawBody }),
        res,
      );
    } catch {
      // Without Slack's headers a request is unsigned, not late.
      const signed = req.headers["x-slack-signature"] && req.headers["x-slack-request-timestamp"];
      return this.refuse(res, 401, !signed || isFresh ? "bad_signature" : "stale");
    }
    let body: Record<string, unknown>;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      return this.refuse(res, 400, "malformed");
    }
    // Slack's certificate probe is the one request it does not sign (Bolt let it through unverified).
    if (body.ssl_check === "1") return HTTPModuleFunctions.buildSSLCheckResponse(res);
    if (!isFresh) return this.refuse(res, 401, "stale");
    if (body.type === "url_verification") {
      this.count("handled");
      return HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
    }
    const processing = this.process(buffered, body, res);
    this.inFlight.add(processing);
    try {
      await processing;
    } finally {
      this.inFlight.delete(processing);
    }
  }

  private async process(req: BufferedIncomingMessage, body: Record<string, unknown>, res: ServerResponse) {
    const ack = new HTTPResponseAck({
      logger: this.options.logger,
      processBeforeResponse: false,
      httpRequest: req,
      httpRequestBody: body,
      httpResponse: res,
    });
    try {
      const retryNum = HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req);
      const retryReason = HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req);
      await this.app!.processEvent({
        body,
        ack: ack.bind(),
        ...(retryNum !== undefined ? { retryNum } : {}),
        ...(retryReason !== undefined ? { retryReason } : {}),
      });
    } catch (error) {
      // Listeners count their own failures; this is Bolt itself failing (authorize, middleware).
      this.options.logger.error("Slack event processing failed", error instanceof Error ? error.message : "");
      if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, 500);
    }
  }
}
