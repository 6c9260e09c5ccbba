import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidInput } from "../../src/engine/index.ts";
import { type ConfiguredChatlog, chatlogFlags, chatlogOptions } from "../../src/sources/chatlog-options.ts";

/** The configuration's chatlog section and shops → the options of a run, flags over them. */

const dir = mkdtempSync(join(tmpdir(), "kpi-chatlog-options-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, "rules"));
writeFileSync(join(dir, "rules/phrases.txt"), "# ours\n@documents\n@suggested\n[云裳旗舰店]\n这个真没有\n");
writeFileSync(join(dir, "plain.txt"), "不知道\n");

const configured: ConfiguredChatlog = {
  settings: {
    phrases: "rules/phrases.txt",
    profile: "taobao",
    profiles: { jd: "jd" },
    windowDays: 3,
    sessionGap: 5000,
  },
  shops: [
    { id: "flagship", name: "云裳旗舰店", timeZone: "Asia/Shanghai" },
    { id: "jd", name: "云裳京东店", timeZone: "Asia/Hong_Kong" },
  ],
  baseDir: dir,
};

describe("chat-log options from the configuration", () => {
  it("reads the phrase file beside the configuration, and keys each shop's rules by id and name", async () => {
    expect(await chatlogOptions(configured)).toEqual({
      profile: "taobao",
      shopProfiles: { jd: "jd", 云裳京东店: "jd" },
      shopTimeZones: {
        flagship: "Asia/Shanghai",
        云裳旗舰店: "Asia/Shanghai",
        jd: "Asia/Hong_Kong",
        云裳京东店: "Asia/Hong_Kong",
      },
      windowDays: 3,
      sessionGap: 5000,
      forbiddenPhrases: ["# ours", "@documents", "@suggested", "[云裳旗舰店]", "这个真没有", ""],
    });
  });

  it("leaves the engine's defaults alone when the configuration has no chatlog section", async () => {
    expect(await chatlogOptions({ shops: [], baseDir: dir })).toEqual({
      shopProfiles: {},
      shopTimeZones: {},
    });
  });

  it("lets each flag replace what the configuration says of it, for one run", async () => {
    const overrides = chatlogFlags({
      phrases: join(dir, "plain.txt"),
      profile: "pdd,云裳京东店=jd",
      "time-zone": "Asia/Tokyo",
      window: "7",
      "session-gap": "100",
    });
    expect(await chatlogOptions(configured, overrides)).toEqual({
      profile: "pdd",
      shopProfiles: { 云裳京东店: "jd" },
      timeZone: "Asia/Tokyo",
      windowDays: 7,
      sessionGap: 100,
      forbiddenPhrases: ["不知道", ""],
    });
  });

  it("keeps the configuration's values where no flag is given", async () => {
    const options = await chatlogOptions(configured, chatlogFlags({ window: "1" }));
    expect(options).toMatchObject({ profile: "taobao", windowDays: 1, sessionGap: 5000 });
    expect(options.shopTimeZones?.jd).toBe("Asia/Hong_Kong");
  });

  it("names the flag or the key of every mistake", async () => {
    expect(() => chatlogFlags({ profile: "tmall" })).toThrow(
      new InvalidInput("--profile", '"tmall" is not one of generic, jd, taobao, pdd'),
    );
    expect(() => chatlogFlags({ window: "0" })).toThrow(/--window: "0" is not a whole number/);
    expect(() => chatlogFlags({ "time-zone": "Mars/Olympus" })).toThrow(/--time-zone: "Mars\/Olympus"/);
    const missing = { ...configured, settings: { phrases: "nope.txt" } };
    await expect(chatlogOptions(missing)).rejects.toThrow(
      /^chatlog\.phrases: file ".*nope\.txt" does not exist$/,
    );
    writeFileSync(join(dir, "bad.txt"), "@documents\n@everything\n");
    await expect(chatlogOptions({ ...configured, settings: { phrases: "bad.txt" } })).rejects.toThrow(
      `chatlog.phrases (${join(dir, "bad.txt")}): "@everything" is not @documents or @suggested`,
    );
  });
});
