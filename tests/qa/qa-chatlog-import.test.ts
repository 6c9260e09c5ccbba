import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { storeBatch } from "../../src/bot/store-batches.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { parseConfig } from "../../src/config.ts";
import { chatlogConversations } from "../../src/sources/chatlog-conversations.ts";
import { analyseChatlog, type ChatlogFiles, chatlogBatch } from "../../src/sources/chatlog-source.ts";
import type { Store } from "../../src/store/database.ts";
import { agentDays, qaConversations } from "../../src/store/schema.ts";
import { HEADER, msg } from "../engine/chatlog/helpers.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";
import { QA_CONFIG, QA_NOW } from "./qa-fixture.ts";

/**
 * `kpi import --source chatlog` with quality review on: the log is read again for its
 * conversations, stored masked with the figures, in the same transaction or not at all.
 */

const dir = mkdtempSync(join(tmpdir(), "kpi-qa-chatlog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ZHANG = "旗舰店:小张";
const LI = "旗舰店:小李";
const line = (
  t: string,
  session: string,
  customer: string,
  agent: string,
  from: string,
  text = "",
  event = "message",
) => msg(`2026-11-24 ${t}`, session, customer, agent, from, event, "", text, "旗舰店");

/** 小张's s1 (the customer gives a phone number; rated 2) interleaved with 小李's s2 and s3. */
function messages(zhangReplyAt = "10:00:30"): string[] {
  return [
    HEADER,
    line("10:00:00", "s1", "tb_zhang88", ZHANG, "customer", "电话13812345678，收件人：张三丰"),
    line("10:00:10", "s2", "tb_li66", LI, "customer", "有M码吗"),
    line(zhangReplyAt, "s1", "tb_zhang88", ZHANG, "agent", "好的亲，已备注"),
    line("10:00:40", "s2", "tb_li66", LI, "agent", "有的亲"),
    line("10:00:50", "s1", "tb_zhang88", ZHANG, "system", "", "close"),
    line("11:00:00", "s3", "tb_wang", LI, "customer", "几天到"),
    line("11:00:20", "s3", "tb_wang", LI, "agent", "这个我也不知道"),
  ];
}

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const ratings = write("ratings.csv", ["session,agent,score,at", "s1,,2,2026-11-24T10:05:00+08:00"]);

async function importLog(store: Store, files: ChatlogFiles, conversationsOf: ChatlogFiles = files) {
  const result = await analyseChatlog(files, {}, 1);
  const batch = chatlogBatch(
    result,
    (shop) => (shop === "旗舰店" ? "s1" : undefined),
    chatlogConversations(conversationsOf, {}),
  );
  return storeBatch(store.db, batch, {
    shopId: "s1",
    unknownAgents: "reject",
    defaultRole: "presales",
    actor: "t",
    now: QA_NOW,
  });
}

describe.each(STORE_KINDS)("a chat-log import's conversations on %s", (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(kind);
    await syncConfig(
      store.db,
      { config: parseConfig(QA_CONFIG, "test"), origin: "test", baseDir: "." },
      QA_NOW,
    );
  });
  afterEach(() => store.close());

  const stored = async () =>
    (await store.db.select().from(qaConversations)).sort((a, b) => a.session.localeCompare(b.session));

  it("stores each session as a conversation, masked, with its wait, rating and phrase hits", async () => {
    const outcome = await importLog(store, { messages: write("log.csv", messages()), ratings });
    expect(outcome.status).toBe("done");
    const rows = await stored();
    expect(rows.map((r) => [r.session, r.agentId, r.day])).toEqual([
      ["s1", "zhang", "2026-11-24"],
      ["s2", "li", "2026-11-24"],
      ["s3", "li", "2026-11-24"],
    ]);
    const [s1, , s3] = rows;
    expect(s1!.transcript).not.toContain("13812345678");
    expect(s1!.transcript).not.toContain("张三丰");
    expect(s1!.transcript).toContain("138****5678");
    expect(s1!.customer).toBe("t********8");
    expect(s1).toMatchObject({ firstWaitSeconds: 30, rating: 2, transferred: false });
    expect(s1!.strata).toContain("low_rating");
    expect(s3!.phraseHits).toEqual(["不知道"]);
    expect(JSON.parse(s1!.transcript).map((m: { event: string }) => m.event)).toEqual([
      "message",
      "message",
      "close",
    ]);
  });

  it("reads JSON Lines as it reads CSV", async () => {
    const jsonl = join(dir, "log.jsonl");
    writeFileSync(
      jsonl,
      [
        {
          ts: "2026-11-24T10:00:00+08:00",
          session: "j1",
          shop: "旗舰店",
          customer: "c1",
          agent: ZHANG,
          from: "customer",
          text: "在吗",
        },
        {
          ts: "2026-11-24T10:00:45+08:00",
          session: "j1",
          shop: "旗舰店",
          customer: "c1",
          agent: ZHANG,
          from: "agent",
          text: "在的",
        },
      ]
        .map((o) => JSON.stringify(o))
        .join("\n"),
    );
    expect((await importLog(store, { messages: jsonl })).status).toBe("done");
    const [j1] = await stored();
    expect(j1).toMatchObject({ session: "j1", agentId: "zhang", firstWaitSeconds: 45 });
  });

  it("replaces a session's conversation in place when a corrected log is imported again", async () => {
    await importLog(store, { messages: write("first.csv", messages()), ratings });
    const [before] = await stored();
    await importLog(store, { messages: write("corrected.csv", messages("10:02:00")), ratings });
    const rows = await stored();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ id: before!.id, session: "s1", firstWaitSeconds: 120 });
  });

  it("stores nothing of a log with a bad line, nor of one whose conversations cannot be read again", async () => {
    const bad = write("bad.csv", [...messages(), line("12:00:00", "s4", "c4", LI, "robot")]);
    const rejected = await importLog(store, { messages: bad, ratings });
    expect(rejected.status).toBe("rejected");
    // The figures read well, but the file changed before its conversations were read.
    await expect(
      importLog(store, { messages: write("good.csv", messages()) }, { messages: bad }),
    ).rejects.toThrow(/read again for its conversations; nothing was imported/);
    expect(await stored()).toEqual([]);
    expect(await store.db.select().from(agentDays)).toEqual([]);
  });
});
