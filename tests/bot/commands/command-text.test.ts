import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { MAX_COMMAND_LENGTH, parseCommand } from "../../../src/bot/commands/parse-command.ts";
import { createLog } from "../../../src/log.ts";
import { useChatFixture } from "../../support/chat-fixture.ts";
import { STORE_KINDS } from "../../support/stores.ts";

/** Text in: what a person cannot have meant is refused before it goes anywhere; text out: never logged. */
describe("control characters and length", () => {
  it("refuses NUL and other control characters, naming the command when its name came first", () => {
    expect(parseCommand("link ab\u0000cd")).toEqual({
      ok: false,
      usage: { problem: "bad-characters", command: "link" },
    });
    expect(parseCommand("\u0007me")).toEqual({ ok: false, usage: { problem: "bad-characters" } });
    // Tabs and line breaks are spaces a chat client may send.
    expect(parseCommand("me\tlast-month\n")).toEqual({
      ok: true,
      command: { name: "me", period: { word: "last-month" } },
    });
  });

  it("refuses a command longer than any command needs", () => {
    expect(parseCommand(`done F1 contacted ${"很".repeat(MAX_COMMAND_LENGTH)}`)).toEqual({
      ok: false,
      usage: { problem: "too-long", limit: MAX_COMMAND_LENGTH },
    });
  });
});

describe.each(STORE_KINDS)("text in, text out (%s)", (kind) => {
  const fixture = useChatFixture(kind);

  it("answers `link ab\\u0000cd` with the problem and link's usage line", async () => {
    const text = await fixture.ask("U_ZHANG", "link ab\u0000cd");
    expect(text).toContain("命令里有无法识别的控制字符");
    expect(text).toContain("link <客服账号>");
  });

  it("logs a failed query by its code and SQL, never the values a user gave", async () => {
    const lines: string[] = [];
    const log = createLog({
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const userText = "小李的手机号13800000000";
    const error = await fixture.store.db
      .execute(sql`select ${userText}::integer`)
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    // Unserialised, the error does carry the user's text: that is what must not be logged.
    expect(
      JSON.stringify({ message: (error as Error).message, cause: String((error as Error).cause) }),
    ).toContain("13800000000");
    log.error({ err: error }, "command failed");
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("13800000000");
    const logged = JSON.parse(lines[0]!) as {
      err: { type: string; query?: string; cause?: { code?: string } };
    };
    expect(logged.err.query).toContain("::integer");
    expect(logged.err.cause?.code).toBe("22P02");
  });
});
