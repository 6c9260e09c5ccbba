import * as lark from "@larksuiteoapi/node-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatMemory } from "../../../src/chat/adapter.ts";
import { CARD_BYTES_LIMIT, renderCard } from "../../../src/chat/feishu/card.ts";
import { createFeishuAdapter } from "../../../src/chat/feishu/feishu-adapter.ts";
import { silentLog } from "../../../src/log.ts";
import { createMetrics } from "../../../src/server/metrics.ts";
import { type FakeFeishu, startFakeFeishu } from "../../fakes/feishu/server.ts";
import { CHART_ALT, chartPng, isTheChart, weeklyDigest } from "../chart-reply.ts";

const MESSAGES = "/open-apis/im/v1/messages";
const IMAGES = "/open-apis/im/v1/images";

let fake: FakeFeishu;
beforeAll(async () => {
  fake = await startFakeFeishu();
});
afterAll(() => fake.close());

/** An adapter for a new app each time (the SDK's process-wide token cache is keyed by appId). */
function newAdapter() {
  const app = fake.newApp();
  const adapter = createFeishuAdapter(
    { mode: "http", domain: fake.domain, ...app, encryptKey: "k", verificationToken: "v" },
    // Sending never reads the database.
    { memory: {} as ChatMemory, metrics: createMetrics(), log: silentLog, now: () => new Date() },
  );
  return { adapter, app };
}

type CardElement = { tag: string; img_key?: string; content?: string };
const elementsOf = (card: unknown) => (card as { body: { elements: CardElement[] } }).body.elements;

describe("a digest with its trend chart, sent to Feishu", () => {
  it("uploads the chart for messages, then sends a card showing it by its image_key where the block was", async () => {
    const { adapter, app } = newAdapter();
    const sent = await adapter.send({ kind: "channel", id: "oc_team" }, weeklyDigest());

    const upload = fake.calls.findLast((c) => c.path === IMAGES);
    const message = fake.calls.findLast((c) => c.path === MESSAGES);
    expect(fake.calls.indexOf(upload!)).toBeLessThan(fake.calls.indexOf(message!));
    expect(upload?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const key = (upload!.answer as { data: { image_key: string } }).data.image_key;
    expect(fake.images.get(key)).toMatchObject({ imageType: "message", appId: app.appId });
    expect(isTheChart(fake.images.get(key)?.bytes)).toBe(true);
    expect(fake.images.get(key)?.bytes.length).toBe(chartPng().length);

    expect(elementsOf(message?.card).map((e) => e.tag)).toEqual(["markdown", "img", "markdown"]);
    expect(elementsOf(message?.card)[1]).toEqual({
      tag: "img",
      img_key: key,
      alt: { tag: "plain_text", content: CHART_ALT },
      scale_type: "fit_horizontal",
      preview: true,
    });
    expect(fake.messages.get(sent.ref)?.chatId).toBe("oc_team");
  });

  it("sends no card when the upload fails, and a retryable error", async () => {
    const { adapter } = newAdapter();
    const before = fake.callsTo(MESSAGES, "POST").length;
    fake.failNext(IMAGES, { status: 500 });
    await expect(adapter.send({ kind: "user", userId: "ou_zhang" }, weeklyDigest())).rejects.toMatchObject({
      platform: "feishu",
      retryable: true,
    });
    expect(fake.callsTo(MESSAGES, "POST")).toHaveLength(before);
  });

  it("uploads again but posts one card when the outbox repeats a send whose answer was lost", async () => {
    const { adapter } = newAdapter();
    const uploads = fake.callsTo(IMAGES).length;
    const options = { idempotencyKey: "digest:t1:week:2026-W47" };
    fake.failNext(MESSAGES, { status: 503 });
    await expect(
      adapter.send({ kind: "channel", id: "oc_team" }, weeklyDigest(), options),
    ).rejects.toMatchObject({
      retryable: true,
    });
    const first = await adapter.send({ kind: "channel", id: "oc_team" }, weeklyDigest(), options);
    const again = await adapter.send({ kind: "channel", id: "oc_team" }, weeklyDigest(), options);
    expect(again.ref).toBe(first.ref);
    expect(fake.callsTo(IMAGES)).toHaveLength(uploads + 3);
  });

  it("shows the new chart when a sent card is updated", async () => {
    const { adapter } = newAdapter();
    const sent = await adapter.send({ kind: "channel", id: "oc_team" }, weeklyDigest());
    await adapter.update(sent, weeklyDigest());
    const stored = JSON.parse(fake.messages.get(sent.ref)!.content);
    expect(elementsOf(stored)[1]?.tag).toBe("img");
    expect(fake.messages.get(sent.ref)?.updates).toBe(1);
  });

  it("keeps the alt text where no image was uploaded (a card rendered without keys)", () => {
    expect(elementsOf(renderCard(weeklyDigest()))[1]).toMatchObject({ tag: "markdown", content: CHART_ALT });
    const withKey = renderCard(weeklyDigest(), CARD_BYTES_LIMIT, new Map([[1, "img_v3_x"]]));
    expect(elementsOf(withKey)[1]).toMatchObject({ tag: "img", img_key: "img_v3_x" });
  });
});

describe("the fake Feishu's image upload", () => {
  const form = (bytes: Uint8Array) => {
    const body = new FormData();
    body.append("image_type", "message");
    body.append("image", new Blob([bytes]), "chart.png");
    return body;
  };

  it("wants a tenant token, as Feishu does", async () => {
    const res = await fetch(`${fake.domain}${IMAGES}`, { method: "POST", body: form(chartPng()) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 99991661 });
  });

  it("refuses a card showing an image_key its app never uploaded", async () => {
    const { adapter: uploader } = newAdapter();
    await uploader.send({ kind: "channel", id: "oc_team" }, weeklyDigest());
    const key = [...fake.images.keys()].at(-1)!;
    const other = new lark.Client({
      ...fake.newApp(),
      domain: fake.domain,
      loggerLevel: lark.LoggerLevel.error,
    });
    const card = renderCard(
      { blocks: [{ kind: "image", pngBase64: "", alt: "x" }] },
      CARD_BYTES_LIMIT,
      new Map([[0, key]]),
    );
    const sending = other.im.v1.message.create({
      params: { receive_id_type: "chat_id" },
      data: { receive_id: "oc_team", msg_type: "interactive", content: JSON.stringify(card) },
    });
    await expect(sending).rejects.toMatchObject({ response: { status: 400, data: { code: 230001 } } });
  });
});
