import type { OutgoingMessage } from "../../src/delivery/outbox-repo.ts";

/**
 * What the fan-out bench sends: 500 team digests and 5,000 direct messages (at --scale 1), keyed
 * `fanout:<n>` with the key in the title, so each one can be found at the fake it reached.
 *
 * The mix is chosen so that two app-wide limits bind equally: Feishu's 50 a second (its 250
 * digests to group chats and 3,500 DMs: 75 s) and DingTalk's 20 a second (1,500 DMs: 75 s). The
 * other 250 digests go to 50 Slack channels (5 each: 5 s at one a second per channel). DMs stay off
 * Slack: each one is its own channel there, so Slack's published limits would not bind at all,
 * while the real ones are an unpublished workspace-wide limit on posts and, for a user never
 * written to, conversations.open at about 50 a minute (5,000 first DMs: 100 minutes).
 *
 * Digests are queued first, as a digest run would; the DMs follow in one seeded mix of platforms,
 * as agents of a roster come.
 */

export interface PlanCounts {
  slackDigests: number;
  slackChannels: number;
  feishuDigests: number;
  feishuDms: number;
  dingtalkDms: number;
}

export const FULL_PLAN: PlanCounts = {
  slackDigests: 250,
  slackChannels: 50,
  feishuDigests: 250,
  feishuDms: 3500,
  dingtalkDms: 1500,
};

export function scaledPlan(scale: number): PlanCounts {
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  return {
    slackDigests: n(FULL_PLAN.slackDigests),
    slackChannels: n(FULL_PLAN.slackChannels),
    feishuDigests: n(FULL_PLAN.feishuDigests),
    feishuDms: n(FULL_PLAN.feishuDms),
    dingtalkDms: n(FULL_PLAN.dingtalkDms),
  };
}

/** The key in a message as the fakes hold it (in a card, blocks or markdown). */
export const KEY_PATTERN = /fanout:\d+/;

const AGENTS = [
  "小张",
  "小李",
  "小王",
  "小赵",
  "小陈",
  "小刘",
  "小杨",
  "小黄",
  "小周",
  "小吴",
  "小徐",
  "小孙",
];

function digest(key: string, team: number) {
  return {
    title: `${key} 第${team}组 日报 2026-11-22`,
    blocks: [
      {
        kind: "table" as const,
        head: ["客服", "总分", "等级", "首响(秒)", "30秒应答率", "询单转化率"],
        rows: AGENTS.map((name, i) => [
          name,
          `${95 - i}.${i}`,
          i < 4 ? "A" : "B",
          `${8 + i}`,
          "96.2%",
          "41.5%",
        ]),
        numeric: [false, true, false, true, true, true],
      },
      { kind: "note" as const, text: "昨日全组平均首响 11.2 秒，较前日 -0.8 秒" },
    ],
  };
}

function nudge(key: string, agent: number) {
  return {
    title: `${key} 提醒`,
    blocks: [
      {
        kind: "text" as const,
        text: `客服${agent}：昨天有 3 次首次响应超过 30 秒，最长 74 秒（14:05 的会话）。`,
      },
      { kind: "note" as const, text: "30 秒应答率 91.3%，距 A 档还差 3.7 个百分点" },
    ],
  };
}

/** xorshift32 in [0, 1): the same mix every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function fanoutMessages(counts: PlanCounts): OutgoingMessage[] {
  const messages: OutgoingMessage[] = [];
  const key = () => `fanout:${messages.length}`;
  const digests = counts.slackDigests + counts.feishuDigests;
  for (let i = 0, slack = 0, feishu = 0; i < digests; i++) {
    // Alternate while both have digests left.
    const toSlack = slack < counts.slackDigests && (feishu >= counts.feishuDigests || i % 2 === 0);
    const k = key();
    if (toSlack) {
      const id = `C${String(slack % counts.slackChannels).padStart(4, "0")}FANOUT`;
      messages.push({ key: k, platform: "slack", to: { kind: "channel", id }, reply: digest(k, i) });
      slack += 1;
    } else {
      const id = `oc_fanout_${feishu}`;
      messages.push({ key: k, platform: "feishu", to: { kind: "channel", id }, reply: digest(k, i) });
      feishu += 1;
    }
  }
  const random = seeded(7);
  let feishuLeft = counts.feishuDms;
  let dingtalkLeft = counts.dingtalkDms;
  for (let agent = 0; feishuLeft + dingtalkLeft > 0; agent++) {
    const k = key();
    if (random() * (feishuLeft + dingtalkLeft) < feishuLeft) {
      messages.push({
        key: k,
        platform: "feishu",
        to: { kind: "user", userId: `ou_fanout_${agent}` },
        reply: nudge(k, agent),
      });
      feishuLeft -= 1;
    } else {
      messages.push({
        key: k,
        platform: "dingtalk",
        to: { kind: "user", userId: `staff_${agent}` },
        reply: nudge(k, agent),
      });
      dingtalkLeft -= 1;
    }
  }
  return messages;
}
