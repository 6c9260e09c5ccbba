/**
 * The three real chat adapters (Slack, Feishu, DingTalk) wired to the loopback fakes, which
 * refuse what the platforms refuse, for tests that send a Reply through each and read back what
 * each fake took.
 */
import { afterAll, beforeAll } from "vitest";
import type { ChatAdapter, SentMessage } from "../../src/chat/adapter.ts";
import { createDingTalkAdapter } from "../../src/chat/dingtalk/dingtalk-adapter.ts";
import { dingtalkConfigSchema } from "../../src/chat/dingtalk/dingtalk-config.ts";
import { createFeishuAdapter } from "../../src/chat/feishu/feishu-adapter.ts";
import type { Reply } from "../../src/chat/reply.ts";
import { createSlackAdapter } from "../../src/chat/slack/slack-adapter.ts";
import { silentLog } from "../../src/log.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { chatMemoryOf } from "../../src/store/chat-memory.ts";
import type { Store } from "../../src/store/database.ts";
import { defaultApp, type FakeDingTalk, startFakeDingTalk } from "../fakes/dingtalk/openapi.ts";
import { type FakeFeishu, startFakeFeishu } from "../fakes/feishu/server.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { openTestStore, type StoreKind } from "./stores.ts";

export const FAKE_PLATFORMS = ["slack", "feishu", "dingtalk"] as const;
export type FakePlatform = (typeof FAKE_PLATFORMS)[number];

/** Whom a test sends to: the same person's id on each platform. */
export const RECIPIENTS = {
  boss: { slack: "U_BOSS", feishu: "ou_boss", dingtalk: "staff_boss" },
  zhang: { slack: "U_ZHANG", feishu: "ou_zhang", dingtalk: "staff_zhang" },
} as const satisfies Record<string, Record<FakePlatform, string>>;
export type Recipient = keyof typeof RECIPIENTS;

type SlackBlock = { type: string; elements?: { text: { text: string } }[] };

/** The last message a fake took: its button labels and its whole text, and what else a platform has. */
export interface LastSent {
  slack(): {
    buttons: string[];
    /** The button labels of each actions block, in order. */
    rows: string[][];
    blocks: SlackBlock[];
    /** The blocks as JSON. */
    text: string;
  };
  feishu(): { buttons: string[] /** The card's JSON content. */; text: string };
  dingtalk(): { buttons: string[]; text: string; msgKey: unknown };
}

export interface PlatformFakes {
  adapters: Record<FakePlatform, ChatAdapter>;
  fakes: { slack: FakeSlack; feishu: FakeFeishu; dingtalk: FakeDingTalk };
  lastSent: LastSent;
  /** Sends `reply` to `who` (the supervisor unless told) as a direct message on `platform`. */
  send(platform: FakePlatform, reply: Reply, who?: Recipient): Promise<SentMessage>;
  /** Closes the fakes (not the store). */
  close(): Promise<void>;
}

const DINGTALK_SEND = "/v1.0/robot/oToMessages/batchSend";

/** Every Feishu card element tagged "button", depth first, by its label. */
function feishuButtons(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(feishuButtons);
  if (node === null || typeof node !== "object") return [];
  const element = node as Record<string, unknown>;
  const own =
    element.tag === "button" ? [String((element.text as { content?: unknown } | undefined)?.content)] : [];
  return [...own, ...Object.values(element).flatMap(feishuButtons)];
}

export async function startPlatformFakes(store: Store): Promise<PlatformFakes> {
  const [slack, feishu, dingtalk] = await Promise.all([
    startFakeSlack(),
    startFakeFeishu(),
    startFakeDingTalk(),
  ]);
  const deps = {
    memory: chatMemoryOf(store.db),
    metrics: createMetrics(),
    log: silentLog,
    now: () => new Date(),
  };
  const adapters: Record<FakePlatform, ChatAdapter> = {
    slack: createSlackAdapter(
      { mode: "http", apiUrl: slack.apiUrl, signingSecret: "s", botToken: slack.botToken },
      deps,
    ),
    feishu: createFeishuAdapter(
      { mode: "http", domain: feishu.domain, ...feishu.newApp(), encryptKey: "k", verificationToken: "v" },
      deps,
    ),
    dingtalk: createDingTalkAdapter(
      {
        ...dingtalkConfigSchema.parse({ apiUrl: dingtalk.baseUrl }),
        clientId: defaultApp.appKey,
        clientSecret: defaultApp.appSecret,
      },
      deps,
    ),
  };
  const lastSent: LastSent = {
    slack: () => {
      const blocks = slack.messages.at(-1)!.blocks as SlackBlock[];
      const rows = blocks.flatMap((b) => (b.type === "actions" ? [b.elements!.map((e) => e.text.text)] : []));
      return { buttons: rows.flat(), rows, blocks, text: JSON.stringify(blocks) };
    },
    feishu: () => {
      const content = [...feishu.messages.values()].at(-1)!.content;
      return { buttons: feishuButtons(JSON.parse(content)), text: content };
    },
    dingtalk: () => {
      const call = dingtalk.callsTo(DINGTALK_SEND).at(-1)!;
      const param = call.msgParam as Record<string, string>;
      return {
        buttons: Object.keys(param)
          .filter((k) => /^actionTitle\d$/.test(k))
          .map((k) => param[k]!),
        text: param.text!,
        msgKey: (call.body as { msgKey?: unknown }).msgKey,
      };
    },
  };
  return {
    adapters,
    fakes: { slack, feishu, dingtalk },
    lastSent,
    send: (platform, reply, who = "boss") =>
      adapters[platform].send({ kind: "user", userId: RECIPIENTS[who][platform] }, reply),
    close: async () => {
      await Promise.all([slack.close(), feishu.close(), dingtalk.close()]);
    },
  };
}

/**
 * For a describe block: opens a test store of `kind` and starts the fakes before its tests, and
 * closes both after them. What it returns may be used inside the tests only.
 */
export function usePlatformFakes(kind: StoreKind): Omit<PlatformFakes, "close"> {
  let store: Store | undefined;
  let started: PlatformFakes | undefined;
  beforeAll(async () => {
    store = await openTestStore(kind);
    started = await startPlatformFakes(store);
  });
  afterAll(async () => {
    await started?.close();
    await store?.close();
  });
  const now = () => {
    if (!started) throw new Error("the platform fakes start in beforeAll: use them inside a test");
    return started;
  };
  return {
    get adapters() {
      return now().adapters;
    },
    get fakes() {
      return now().fakes;
    },
    lastSent: {
      slack: () => now().lastSent.slack(),
      feishu: () => now().lastSent.feishu(),
      dingtalk: () => now().lastSent.dingtalk(),
    },
    send: (platform, reply, who) => now().send(platform, reply, who),
  };
}
