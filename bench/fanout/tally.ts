import type { FakeDingTalk } from "../../tests/fakes/dingtalk/openapi.ts";
import type { FakeFeishu } from "../../tests/fakes/feishu/server.ts";
import type { ScopeCount } from "../../tests/fakes/rate-window.ts";
import type { FakeSlack } from "../../tests/fakes/slack/server.ts";
import { KEY_PATTERN } from "./plan.ts";

/** Where the fan-out's messages ended up: every key's arrivals at the fakes, and when the last came. */
export interface Tally {
  /** key → how many times a platform took it. */
  arrivals: Map<string, number>;
  /** Date.now() of the last message a platform took. */
  lastAt: number;
  /** When each platform took its messages, in order. */
  times: Record<"slack" | "feishu" | "dingtalk", number[]>;
  /** Calls answered with a throttle, per fake scope, and calls that came during a told wait. */
  scopes: ScopeCount[];
}

export interface Fakes {
  slack: FakeSlack;
  feishu: FakeFeishu;
  dingtalk: FakeDingTalk;
}

export function tally({ slack, feishu, dingtalk }: Fakes): Tally {
  const arrivals = new Map<string, number>();
  let lastAt = 0;
  const times: Tally["times"] = { slack: [], feishu: [], dingtalk: [] };
  const arrived = (platform: keyof Tally["times"], text: string, at: number) => {
    const key = KEY_PATTERN.exec(text)?.[0] ?? "(no key)";
    arrivals.set(key, (arrivals.get(key) ?? 0) + 1);
    lastAt = Math.max(lastAt, at);
    times[platform].push(at);
  };
  // Slack keeps no time on a message: the time of the call that posted it (in order) stands in.
  const posts = slack.callsTo("chat.postMessage").filter((c) => c.status === 200);
  slack.messages.forEach((m, i) => {
    arrived("slack", JSON.stringify(m.blocks ?? m.text), posts[i]?.receivedAt ?? 0);
  });
  // Feishu posts one message per uuid: a repeat of a send is not a second message.
  for (const m of feishu.messages.values()) arrived("feishu", m.content, m.createTime);
  for (const call of dingtalk.callsTo("/v1.0/robot/oToMessages/batchSend")) {
    if (call.status === 200) arrived("dingtalk", JSON.stringify(call.msgParam), call.atMs);
  }
  for (const call of dingtalk.callsTo("/v1.0/robot/groupMessages/send")) {
    if (call.status === 200) arrived("dingtalk", JSON.stringify(call.msgParam), call.atMs);
  }
  for (const list of Object.values(times)) list.sort((a, b) => a - b);
  return {
    arrivals,
    lastAt,
    times,
    scopes: [...slack.limitCounts(), ...feishu.limitCounts(), ...dingtalk.limitCounts()],
  };
}

/** The limit-imposed lower bound: the largest of messages-in-scope ÷ rate-of-scope, over every scope. */
export function lowerBound(scopes: readonly ScopeCount[]): { seconds: number; scope: string } {
  let worst = { seconds: 0, scope: "(none)" };
  for (const s of scopes) {
    const seconds = (s.admitted * s.rule.windowMs) / s.rule.limit / 1000;
    if (seconds > worst.seconds) worst = { seconds, scope: s.scope };
  }
  return worst;
}
