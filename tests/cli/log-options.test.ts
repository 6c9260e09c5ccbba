import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { logFor, logSettings } from "../../src/cli/log-options.ts";
import { InvalidInput } from "../../src/engine/index.ts";
import { createLog } from "../../src/log.ts";

/** Where the bot's log goes and how it reads: a person at a terminal, or a machine. */

function captured() {
  let text = "";
  const destination = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { destination, text: () => text };
}

describe("the log's format and level", () => {
  it("shows a terminal only warnings and errors, as human lines, unless --verbose", () => {
    expect(logSettings({}, {}, true)).toEqual({ format: "pretty", level: "warn" });
    expect(logSettings({ verbose: true }, {}, true)).toEqual({ format: "pretty", level: "info" });
  });

  it("writes JSON at info when stdout is not a terminal, or when asked", () => {
    expect(logSettings({}, {}, false)).toEqual({ format: "json", level: "info" });
    expect(logSettings({}, { KPI_LOG_FORMAT: "json" }, true)).toEqual({ format: "json", level: "info" });
    expect(logSettings({ "log-format": "json" }, { KPI_LOG_FORMAT: "pretty" }, true).format).toBe("json");
    expect(logSettings({ "log-format": "pretty" }, {}, false)).toEqual({ format: "pretty", level: "info" });
    expect(logSettings({}, { KPI_LOG_LEVEL: "debug" }, true).level).toBe("debug");
  });

  it("refuses a format it does not know, naming where it came from", () => {
    expect(() => logSettings({ "log-format": "xml" }, {}, true)).toThrow(InvalidInput);
    expect(() => logSettings({ "log-format": "xml" }, {}, true)).toThrow(/--log-format.*"xml".*json, pretty/);
    expect(() => logSettings({}, { KPI_LOG_FORMAT: "yaml" }, true)).toThrow(/KPI_LOG_FORMAT.*"yaml"/);
  });
});

describe("a human log line", () => {
  it("is made from the redacted record: no secret and no user text in either format", () => {
    const databaseError = Object.assign(new Error("duplicate key: Key (name)=(王秘密) already exists"), {
      code: "23505",
      constraint: "agents_name",
    });
    for (const format of ["pretty", "json"] as const) {
      const out = captured();
      const log = createLog({ format, level: "info", destination: out.destination, colorize: false });
      log.error(
        {
          token: "xoxb-SECRET-1",
          headers: { authorization: "Bearer SECRET-2", "x-slack-signature": "v0=SECRET-3" },
          feishu: { appSecret: "SECRET-4" },
          err: databaseError,
        },
        "storing the roster failed",
      );
      const text = out.text();
      expect(text).toContain("storing the roster failed");
      expect(text).toContain("[redacted]");
      expect(text).toContain("23505");
      expect(text).not.toMatch(/SECRET|王秘密/);
      if (format === "pretty") {
        expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}\] ERROR: storing the roster failed/);
        expect(text.trimStart().startsWith("{")).toBe(false);
      } else expect(JSON.parse(text)).toMatchObject({ level: 50, msg: "storing the roster failed" });
    }
  });

  it("goes to the destination it is given (stderr for the bot)", () => {
    const out = captured();
    logFor({ format: "pretty", level: "warn" }, out.destination).warn("a pull was late");
    logFor({ format: "pretty", level: "warn" }, out.destination).info("routine");
    expect(out.text()).toMatch(/WARN: a pull was late/);
    expect(out.text()).not.toContain("routine");
  });
});
