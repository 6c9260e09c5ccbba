import { App, type Logger, LogLevel } from "@slack/bolt";
import type { Log } from "../../log.ts";
import type { AdapterDeps, ChatAdapter, InboundHandlers } from "../adapter.ts";
import { type SlackConfig, slackLimits } from "./slack-config.ts";
import { listen } from "./slack-listeners.ts";
import { slackOutbound } from "./slack-outbound.ts";
import { SlackRouteReceiver } from "./slack-route-receiver.ts";
import type { SlackSecrets } from "./slack-secrets.ts";

export { type SlackSecrets, slackSecretsFromEnv } from "./slack-secrets.ts";

/**
 * Slack through Bolt: in http mode Slack posts to /slack/events on our server (Bolt verifies and
 * dispatches through SlackRouteReceiver); in socket mode Bolt holds a Socket Mode connection
 * instead. The same listeners serve both, and messages go out through the same WebClient.
 */

/** Bolt's logger interface over our pino log; Bolt logs no tokens, and bodies only in developer mode. */
function boltLogger(log: Log): Logger {
  const child = log.child({ component: "slack-bolt" });
  return {
    // Bolt logs several debug lines per request: build them only when they will be written.
    debug: (...msg) => child.isLevelEnabled("debug") && child.debug(msg.join(" ")),
    info: (...msg) => child.info(msg.join(" ")),
    warn: (...msg) => child.warn(msg.join(" ")),
    error: (...msg) => child.error(msg.join(" ")),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

export function createSlackAdapter(
  settings: SlackConfig & SlackSecrets,
  deps: AdapterDeps,
  /** Tests: how long an answer may take to go back in the ack (listeners' INLINE_ANSWER_MS). */
  options: { inlineAnswerMs?: number } = {},
): ChatAdapter {
  const logger = boltLogger(deps.log);
  const receiver =
    settings.mode === "http"
      ? new SlackRouteReceiver({
          signingSecret: settings.signingSecret,
          metrics: deps.metrics,
          logger,
          now: deps.now,
        })
      : undefined;
  if (settings.mode === "socket" && !settings.appToken)
    throw new Error("Slack socket mode needs SLACK_APP_TOKEN");
  const app = new App({
    token: settings.botToken,
    ...(receiver ? { receiver } : { socketMode: true, appToken: settings.appToken! }),
    logger,
    clientOptions: {
      slackApiUrl: settings.apiUrl,
      // Our delivery code owns retries; web-api's default policy keeps going for about 30 minutes.
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      // A call that hangs fails after 10 s (retryable) rather than holding a send forever.
      timeout: 10_000,
    },
    // Otherwise the constructor calls auth.test, and its failure is an unhandled rejection.
    deferInitialization: true,
    // Bolt's conversation-state store (a middleware on every request) is not used by any listener.
    convoStore: false,
  });
  const outbound = slackOutbound(app.client, deps);
  const limits = slackLimits(settings.limits);
  let started = false;

  return {
    platform: "slack",
    routes: receiver ? [receiver.route] : [],
    send: (to, reply, options) => outbound.send(to, reply, options),
    findSent: (to, key, since) => outbound.findSent(to, key, since),
    // A direct message goes to the user's DM channel, one channel per user.
    sendScopes: (to) => [
      {
        scope: to.kind === "channel" ? `slack:channel:${to.id}` : `slack:user:${to.userId}`,
        intervalMs: 1000 / limits.perChannelPerSecond,
      },
    ],
    update: (message, reply) => outbound.update(message, reply),
    async start(handlers: InboundHandlers) {
      if (started) throw new Error("the Slack adapter is already started");
      started = true;
      // auth.test: a wrong token fails here, at start-up, not at the first command.
      await app.init();
      listen(app, { ...deps, ...options, handlers, outbound });
      await app.start();
    },
    async stop() {
      if (started) await app.stop();
    },
  };
}
