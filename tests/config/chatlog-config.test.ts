import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { InvalidDocument } from "../../src/engine/index.ts";

/** The configuration's chatlog section: how chat logs are measured on import and by kpi metrics. */

const shops = "shops: [{ id: flagship, name: 云裳旗舰店, platform: taobao }]\n";

function problems(text: string): string[] {
  try {
    parseConfig(text, "test.yaml");
    return [];
  } catch (error) {
    if (!(error instanceof InvalidDocument)) throw error;
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe("the chatlog section of the configuration", () => {
  it("is optional, and read as written when given", () => {
    expect(parseConfig(shops, "test.yaml").chatlog).toBeUndefined();
    const config = parseConfig(
      `${shops}chatlog: { phrases: ./phrases.txt, profile: generic, profiles: { flagship: taobao }, windowDays: 3, sessionGap: 5000 }`,
      "test.yaml",
    );
    expect(config.chatlog).toEqual({
      phrases: "./phrases.txt",
      profile: "generic",
      profiles: { flagship: "taobao" },
      windowDays: 3,
      sessionGap: 5000,
    });
  });

  it("reads the example's: each shop on its platform's rules", () => {
    const example = readFileSync(join(import.meta.dirname, "../../kpi.config.example.yaml"), "utf8");
    expect(parseConfig(example, "kpi.config.example.yaml").chatlog).toEqual({
      profile: "generic",
      profiles: { flagship: "taobao", "jd-store": "jd" },
      windowDays: 2,
    });
  });

  it("names the key of a profile that is not a rule profile", () => {
    expect(problems(`${shops}chatlog: { profile: tmall, profiles: { flagship: qianniu } }`)).toEqual([
      'chatlog.profile: "tmall" is not a rule profile (generic, jd, taobao, pdd)',
      'chatlog.profiles.flagship: "qianniu" is not a rule profile (generic, jd, taobao, pdd)',
    ]);
  });

  it("names a shop it does not know, a bad window and an unknown key", () => {
    expect(problems(`${shops}chatlog: { profiles: { jd-store: jd } }`)).toEqual([
      "chatlog.profiles.jd-store: no shop jd-store in shops",
    ]);
    expect(problems(`${shops}chatlog: { windowDays: 0, timezone: Asia/Tokyo }`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^chatlog\.windowDays: /),
        expect.stringMatching(/^chatlog: .*timezone/),
      ]),
    );
  });
});
