import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as lark from "@larksuiteoapi/node-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cardActionEvent,
  type Delivery,
  encryptAndSign,
  messageReceiveEvent,
  urlVerification,
} from "./feishu/events.ts";
import { type FakeFeishu, startFakeFeishu } from "./feishu/server.ts";

/**
 * The real @larksuiteoapi/node-sdk against Feishu as the fakes play it: its Client against the
 * loopback OpenAPI, its EventDispatcher against requests encrypted and signed as Feishu sends them.
 */

const TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
const quiet = () => undefined;
const silentLogger = { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet };
const card = (title: string) => ({
  header: { title: { tag: "plain_text", content: title } },
  elements: [{ tag: "button", text: { tag: "plain_text", content: "申诉" }, value: { action: "appeal" } }],
});

let fake: FakeFeishu;
beforeAll(async () => {
  fake = await startFakeFeishu();
});
afterAll(() => fake.close());

/** A text to the team chat, as the SDK's create() takes it. */
const toTeam = (text = "x", uuid?: string) => ({
  params: { receive_id_type: "chat_id" as const },
  data: {
    receive_id: "oc_team",
    msg_type: "text",
    content: JSON.stringify({ text }),
    ...(uuid ? { uuid } : {}),
  },
});

/** A client for a new app each time: the SDK caches tenant tokens per appId for the whole process. */
function newClient(overrides: Partial<ConstructorParameters<typeof lark.Client>[0]> = {}) {
  return new lark.Client({ ...fake.newApp(), domain: fake.domain, logger: silentLogger, ...overrides });
}

describe("the fake Feishu OpenAPI under the real lark.Client", () => {
  it("takes a text, a card and a card update, after one tenant token call", async () => {
    const app = fake.newApp();
    const client = new lark.Client({ ...app, domain: fake.domain, logger: silentLogger });
    const text = await client.im.message.create({
      params: { receive_id_type: "open_id" },
      data: {
        receive_id: "ou_xiaozhang",
        msg_type: "text",
        content: JSON.stringify({ text: "本月得分 94.6" }),
      },
    });
    const sent = await client.im.message.create({
      params: { receive_id_type: "chat_id" },
      data: { receive_id: "oc_team", msg_type: "interactive", content: JSON.stringify(card("小张 B 级")) },
    });
    const messageId = sent.data?.message_id ?? "";
    const update = await client.im.message.patch({
      path: { message_id: messageId },
      data: { content: JSON.stringify(card("小张 A 级")) },
    });

    expect([text.code, sent.code, update.code]).toEqual([0, 0, 0]);
    expect(text.data).toMatchObject({ msg_type: "text", chat_id: "oc_p2p_ou_xiaozhang" });
    expect(fake.callsTo(TOKEN_PATH).filter((call) => call.body.app_id === app.appId)).toMatchObject([
      { body: { app_id: app.appId, app_secret: app.appSecret }, status: 200 },
    ]);
    const [sentText, sentCard] = fake.callsTo("/open-apis/im/v1/messages").slice(-2);
    expect(sentText).toMatchObject({
      query: { receive_id_type: "open_id" },
      content: { text: "本月得分 94.6" },
    });
    expect(sentCard?.card).toEqual(card("小张 B 级"));
    expect(fake.callsTo("/open-apis/im/v1/messages/:message_id", "PATCH").at(-1)?.card).toEqual(
      card("小张 A 级"),
    );
    expect(fake.messages.get(messageId)).toMatchObject({
      updates: 1,
      content: JSON.stringify(card("小张 A 级")),
    });
  });

  it("threads a reply under the message it answers", async () => {
    const client = newClient();
    const parentId = (await client.im.message.create(toTeam("周报"))).data?.message_id ?? "";
    const reply = await client.im.message.reply({
      path: { message_id: parentId },
      data: { msg_type: "text", content: JSON.stringify({ text: "已收到" }) },
    });
    expect(reply.data).toMatchObject({ parent_id: parentId, chat_id: "oc_team" });
  });

  it("sends once per uuid, as Feishu deduplicates a retried send", async () => {
    const client = newClient();
    const first = await client.im.message.create(toTeam("日报", "digest-0412"));
    const again = await client.im.message.create(toTeam("日报", "digest-0412"));
    expect(again.data?.message_id).toBe(first.data?.message_id);
  });

  it("refuses a wrong app secret at the token call, which the SDK turns into an error", async () => {
    const send = newClient({ appSecret: "wrong" }).im.message.create(toTeam());
    await expect(send).rejects.toThrow("failed to get tenant_access_token, code: 10014");
  });

  it("answers calls without a live tenant token with 99991661 / 99991663", async () => {
    const url = `${fake.domain}/open-apis/im/v1/messages?receive_id_type=chat_id`;
    const bare = await fetch(url, { method: "POST", body: "{}" });
    expect([bare.status, await bare.json()]).toMatchObject([400, { code: 99991661 }]);

    // The SDK neither notices a revoked token nor fetches a new one: it reuses its cache until expiry.
    const client = newClient();
    await client.im.message.create(toTeam());
    fake.revokeTokens();
    const tokenCalls = fake.callsTo(TOKEN_PATH).length;
    await expect(client.im.message.create(toTeam())).rejects.toMatchObject({
      response: { status: 400, data: { code: 99991663 } },
    });
    expect(fake.callsTo(TOKEN_PATH)).toHaveLength(tokenCalls);
  });

  it("sends no Authorization at all when disableTokenCache is set", async () => {
    const send = newClient({ disableTokenCache: true }).im.message.create(toTeam());
    await expect(send).rejects.toMatchObject({ response: { data: { code: 99991661 } } });
  });

  it("surfaces a 429 as a rejected call carrying Feishu's code and reset header, then recovers", async () => {
    const client = newClient();
    fake.failNext("/open-apis/im/v1/messages", { status: 429, resetSeconds: 3 });
    await expect(client.im.message.create(toTeam())).rejects.toMatchObject({
      response: { status: 429, data: { code: 99991400 }, headers: { "x-ogw-ratelimit-reset": "3" } },
    });
    expect((await client.im.message.create(toTeam())).code).toBe(0);
  });

  it("fails server errors the given number of times", async () => {
    const client = newClient();
    fake.failNext("/open-apis/im/v1/messages", { status: 500 }, 2);
    await expect(client.im.message.create(toTeam())).rejects.toMatchObject({ response: { status: 500 } });
    await expect(client.im.message.create(toTeam())).rejects.toMatchObject({ response: { status: 500 } });
    expect((await client.im.message.create(toTeam())).code).toBe(0);
  });

  it("rejects a business error sent with HTTP 400 but resolves one sent with HTTP 200", async () => {
    const client = newClient();
    fake.failNext("/open-apis/im/v1/messages", { code: 230001, msg: "invalid receive_id" });
    await expect(client.im.message.create(toTeam())).rejects.toMatchObject({
      response: { status: 400, data: { code: 230001 } },
    });
    // The SDK returns any 2xx body as is: the adapter has to read `code` itself.
    fake.failNext("/open-apis/im/v1/messages", { code: 230002, msg: "Bot is not in the chat", status: 200 });
    expect(await client.im.message.create(toTeam())).toMatchObject({ code: 230002 });
  });
});

describe("Feishu's event requests into the SDK's EventDispatcher behind adaptDefault", () => {
  const encryptKey = "kpi-encrypt-key";
  const verificationToken = "kpi-verification-token";
  const createTime = Date.UTC(2026, 3, 12, 1, 30);
  const timestamp = createTime / 1000;
  const messages: { event_id?: string; token?: string; message: { content: string; chat_type: string } }[] =
    [];
  const presses: { action: { value: unknown }; context: { open_message_id: string } }[] = [];
  let server: Server;
  let base: string;
  const rejections: unknown[] = [];

  /** adaptDefault, whose rejections a bare node:http server would leave unhandled (the process dies). */
  function guarded(path: string, dispatcher: lark.EventDispatcher, options?: { autoChallenge: boolean }) {
    const handle = lark.adaptDefault(path, dispatcher, options);
    return ((req, res) =>
      handle(req, res).catch((error: unknown) => {
        rejections.push(error);
        res.writeHead(500).end();
      })) satisfies RequestListener;
  }

  beforeAll(async () => {
    const handlers = {
      "im.message.receive_v1": (data: (typeof messages)[number]) => void messages.push(data),
      "card.action.trigger": (data: (typeof presses)[number]) => {
        presses.push(data);
        return { toast: { type: "success", content: "已提交申诉" } };
      },
    };
    const signed = new lark.EventDispatcher({ encryptKey, verificationToken, logger: silentLogger });
    const unsigned = new lark.EventDispatcher({ verificationToken, logger: silentLogger });
    const routes: Record<string, RequestListener> = {
      "/feishu/events": guarded("/feishu/events", signed.register(handlers), { autoChallenge: true }),
      "/feishu/no-challenge": guarded("/feishu/no-challenge", signed),
      "/feishu/plain": guarded("/feishu/plain", unsigned.register(handlers)),
    };
    // adaptDefault leaves a request for another path unanswered, so an unknown path is ours to 404.
    server = createServer((req, res) => {
      const route = routes[req.url ?? ""];
      if (route) route(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  );

  async function deliver({ body, headers }: Delivery, path = "/feishu/events") {
    const res = await fetch(base + path, { method: "POST", body, headers });
    return { status: res.status, text: await res.text() };
  }
  const question = (eventId: string) =>
    messageReceiveEvent({
      eventId,
      token: verificationToken,
      openId: "ou_xiaozhang",
      chatId: "oc_team",
      chatType: "group",
      text: "@_user_1 我这个月多少分",
      mentions: [{ openId: "ou_kpi_bot", name: "KPI 助手" }],
      createTime,
    });

  it("runs the handler with the decrypted text of an encrypted, signed im.message.receive_v1", async () => {
    const answer = await deliver(encryptAndSign(question("ev_ask"), { encryptKey, timestamp }));
    expect(answer.status).toBe(200);
    // The SDK flattens the envelope: header fields and event fields side by side.
    const received = messages.find((m) => m.event_id === "ev_ask");
    expect(received).toMatchObject({ token: verificationToken, message: { chat_type: "group" } });
    expect(JSON.parse(received?.message.content ?? "")).toEqual({ text: "@_user_1 我这个月多少分" });
  });

  it("answers the url_verification challenge, but only when adaptDefault is given autoChallenge", async () => {
    const challenge = encryptAndSign(urlVerification("ch-7f3a", verificationToken), {
      encryptKey,
      timestamp,
    });
    expect(JSON.parse((await deliver(challenge)).text)).toEqual({ challenge: "ch-7f3a" });
    // Without it the challenge goes to the handlers as an event of no type.
    expect((await deliver(challenge, "/feishu/no-challenge")).text).toBe('"no undefined event handle"');
  });

  it("answers a forged signature with HTTP 200 and an empty body, and runs no handler", async () => {
    const genuine = encryptAndSign(question("ev_forged"), { encryptKey, timestamp, nonce: "n1" });
    const signedByGuess = encryptAndSign(question("ev_forged"), {
      encryptKey: "guess",
      timestamp,
      nonce: "n1",
    });
    const swapped = encryptAndSign(question("ev_swapped"), { encryptKey, timestamp, nonce: "n1" });
    for (const headers of [signedByGuess.headers, swapped.headers]) {
      expect(await deliver({ body: genuine.body, headers })).toEqual({ status: 200, text: "" });
    }
    expect(messages.filter((m) => m.event_id === "ev_forged" || m.event_id === "ev_swapped")).toEqual([]);
  });

  it("lets autoChallenge decrypt before any signature check: a body under another key rejects", async () => {
    const stranger = encryptAndSign(question("ev_stranger"), { encryptKey: "guess", timestamp });
    expect(await deliver(stranger)).toEqual({ status: 500, text: "" });
    expect(rejections.at(-1)).toMatchObject({ code: "ERR_OSSL_BAD_DECRYPT" });
    // Without autoChallenge the signature is checked first and the request is quietly dropped.
    expect(await deliver(stranger, "/feishu/no-challenge")).toEqual({ status: 200, text: "" });
  });

  it("accepts a signature from 2020 and the same request twice: the SDK checks no time window", async () => {
    const old = encryptAndSign(question("ev_replayed"), {
      encryptKey,
      timestamp: Date.UTC(2020, 0, 1) / 1000,
    });
    await deliver(old);
    await deliver(old);
    expect(messages.filter((m) => m.event_id === "ev_replayed")).toHaveLength(2);
  });

  it("hands a card button's value to the card.action.trigger handler and answers with its return", async () => {
    const press = cardActionEvent({
      token: verificationToken,
      openId: "ou_xiaozhang",
      messageId: "om_card",
      chatId: "oc_team",
      value: { action: "appeal", period: "2026-03" },
      createTime,
    });
    const answer = await deliver(encryptAndSign(press, { encryptKey, timestamp }));
    expect(JSON.parse(answer.text)).toEqual({ toast: { type: "success", content: "已提交申诉" } });
    expect(presses.at(-1)).toMatchObject({
      action: { value: { action: "appeal", period: "2026-03" } },
      context: { open_message_id: "om_card" },
    });
  });

  it("without an encryptKey, checks nothing: an unsigned event with a wrong token still runs", async () => {
    const intruder = {
      ...question("ev_intruder"),
      header: { ...question("ev_intruder").header, token: "wrong" },
    };
    const plain = { body: JSON.stringify(intruder), headers: { "Content-Type": "application/json" } };
    await deliver(plain, "/feishu/plain");
    expect(messages.find((m) => m.event_id === "ev_intruder")).toMatchObject({ token: "wrong" });
  });
});
