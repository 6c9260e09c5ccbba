import { type LimitedScope, type RateRule, RateWindows, type ScopeCount } from "../rate-window.ts";
import { type ApiArgs, dmChannelOf } from "./web-api-methods.ts";

/**
 * Slack's published limits, enforced by the fake when asked (startFakeSlack({ limits })):
 * chat.postMessage one a second per channel ("short bursts allowed" is read strictly: none), and
 * Tier 3 for conversations.open and conversations.history, 50 a minute per workspace each (Slack
 * allows apps distributed outside its Marketplace one history call a minute). Slack also keeps an
 * unpublished workspace-wide limit on posts ("several hundred a minute"); a bench may set one
 * with `postsPerWorkspace`. Over a limit Slack answers HTTP 429 with Retry-After in whole seconds.
 */
export interface SlackLimits {
  postsPerChannel?: RateRule;
  postsPerWorkspace?: RateRule;
  conversationsOpen?: RateRule;
  conversationsHistory?: RateRule;
}

export const SLACK_PUBLISHED_LIMITS: Required<Omit<SlackLimits, "postsPerWorkspace">> = {
  postsPerChannel: { limit: 1, windowMs: 1000 },
  conversationsOpen: { limit: 50, windowMs: 60_000 },
  conversationsHistory: { limit: 50, windowMs: 60_000 },
};

export interface SlackRateLimits {
  /** The Retry-After (seconds) to answer with, or undefined when the call is within the limits. */
  judge(method: string, args: ApiArgs, nowMs: number): number | undefined;
  counts(): ScopeCount[];
}

export function slackRateLimits(limits: SlackLimits): SlackRateLimits {
  const windows = new RateWindows();
  const scopesOf = (method: string, args: ApiArgs): LimitedScope[] => {
    if (method === "chat.postMessage") {
      const channel = typeof args.channel === "string" ? args.channel : "";
      // A post to a user id goes to the bot's DM with them: that DM is the channel counted.
      const where = /^[UW]/.test(channel) ? dmChannelOf(channel) : channel;
      return [
        ...(limits.postsPerChannel
          ? [{ scope: `slack:channel:${where}`, rule: limits.postsPerChannel }]
          : []),
        ...(limits.postsPerWorkspace
          ? [{ scope: "slack:workspace:posts", rule: limits.postsPerWorkspace }]
          : []),
      ];
    }
    if (method === "conversations.open" && limits.conversationsOpen) {
      return [{ scope: "slack:workspace:conversations.open", rule: limits.conversationsOpen }];
    }
    if (method === "conversations.history" && limits.conversationsHistory) {
      return [{ scope: "slack:workspace:conversations.history", rule: limits.conversationsHistory }];
    }
    return [];
  };
  return {
    judge(method, args, nowMs) {
      const scopes = scopesOf(method, args);
      if (scopes.length === 0) return undefined;
      const verdict = windows.judge(scopes, nowMs);
      return verdict.admitted ? undefined : Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    },
    counts: () => windows.counts(),
  };
}
