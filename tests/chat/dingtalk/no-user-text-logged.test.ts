import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLog } from "../../../src/log.ts";
import type { Store } from "../../../src/store/database.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";
import { type RobotRig, startRobotRig } from "./robot-harness.ts";

/** An answer goes out after the token fetch and the command: seconds on a loaded CI machine, not 1. */
const ANSWER_WAIT = { timeout: 15_000 };

/**
 * Text out: whatever people type reaches no log line, at any level, also when the command fails
 * in the database with their text as a query parameter. The bot is driven as DingTalk drives it
 * (Stream messages), its whole log captured at trace level and searched for what was typed.
 */

/** What people typed, each with a mark no log line may hold. */
const TYPED = [
  "link ab\u0000cd-MARK1",
  "me 2026-11 MARK2秘密",
  "explain 首次响应时间 MARK3",
  `agent ${"长".repeat(600)}MARK4`,
  "link 王秘密MARK5",
];
const MARKS = ["MARK1", "MARK2", "MARK3", "MARK4", "MARK5", "秘密"];
const SESSION = "/robot/sendBySession";

function capturedLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { log: createLog({ level: "trace", destination }), lines };
}

describe.each(STORE_KINDS)("what people type, in the bot's log (%s)", (kind) => {
  let store: Store;
  let rig: RobotRig;
  let logged: ReturnType<typeof capturedLog>;

  beforeEach(async () => {
    store = await openTestStore(kind);
    logged = capturedLog();
    rig = await startRobotRig(store, { log: logged.log });
  });
  afterEach(async () => {
    await rig.close();
    await store.close();
  });

  const ask = async (text: string, senderStaffId = "staff_boss") => {
    const before = rig.fake.callsTo(SESSION).length;
    const { messageId } = rig.gateway.pushRobotMessage({ text, senderStaffId });
    await rig.gateway.waitForAck(messageId);
    await vi.waitFor(() => expect(rig.fake.callsTo(SESSION).length).toBe(before + 1), ANSWER_WAIT);
    return JSON.stringify(rig.fake.callsTo(SESSION).at(-1)?.body);
  };

  it("answers each command and logs none of its text, even a database failure's", async () => {
    expect(await ask(TYPED[0]!)).toContain("link");
    for (const text of TYPED.slice(1, 4)) await ask(text);
    // Someone the bot cannot place asks to be linked to a shop account, and the accounts table
    // is gone: the lookup fails in the database, with the account they typed as its parameter.
    await store.db.execute(sql`ALTER TABLE agent_accounts RENAME TO agent_accounts_away`);
    try {
      expect(await ask(TYPED[4]!, "staff_newcomer")).toContain("出错了");
    } finally {
      await store.db.execute(sql`ALTER TABLE agent_accounts_away RENAME TO agent_accounts`);
    }
    const failures = logged.lines.filter((line) => line.includes("command failed"));
    expect(failures).toHaveLength(1);
    const all = logged.lines.join("\n");
    for (const mark of MARKS) expect(all).not.toContain(mark);
    expect(all).not.toContain("王秘密");
  });
});
