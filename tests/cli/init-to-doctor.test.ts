import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doctorCommand } from "../../src/cli/doctor.ts";
import { initCommand } from "../../src/cli/init.ts";
import type { Output } from "../../src/cli/options.ts";
import { rosterCommand } from "../../src/cli/roster.ts";
import { loadConfig } from "../../src/config.ts";
import { type FakeFeishu, startFakeFeishu } from "../fakes/feishu/server.ts";
import { rosterRows } from "../fixtures/roster/roster-rows.ts";
import { freshPostgresDatabase } from "../support/stores.ts";

/**
 * Issue 18's way from the demo to a team's own workspace, end to end against the loopback Feishu:
 * `kpi init` with flags and the 30-agent roster file writes a configuration, `kpi roster sync
 * --from feishu` fills the agents' Feishu ids from their emails, and `kpi doctor` passes it.
 */

const ROSTER = join(import.meta.dirname, "../fixtures/roster/roster-30.csv");
const PRESALES_CHAT = "oc_presales_group";
const AFTERSALES_CHAT = "oc_aftersales_group";

function captured(): Output & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

describe("from kpi init to kpi doctor, on Feishu", () => {
  let fake: FakeFeishu;
  let dir: string;
  let dropDatabase: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    // The tenant's directory has everyone with an email, as the roster writes it.
    fake = await startFakeFeishu({
      botChats: [PRESALES_CHAT, AFTERSALES_CHAT],
      directory: rosterRows().flatMap(([, , , , , email], i) =>
        email ? [{ openId: `ou_${i}`, email }] : [],
      ),
    });
    const app = fake.newApp();
    const database = await freshPostgresDatabase();
    dropDatabase = database.drop;
    dir = mkdtempSync(join(tmpdir(), "kpi-init-doctor-"));
    env = {
      DATABASE_URL: database.url,
      FEISHU_APP_ID: app.appId,
      FEISHU_APP_SECRET: app.appSecret,
      FEISHU_ENCRYPT_KEY: "feishu-encrypt-key",
      FEISHU_VERIFICATION_TOKEN: "feishu-verification-token",
    };
  });
  afterAll(async () => {
    await fake.close();
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes a configuration, fills the Feishu ids from emails, and the doctor finds all well", async () => {
    const path = join(dir, "kpi.config.yaml");
    const init = captured();
    const flags = ["--shop", "flagship:云裳服饰旗舰店:taobao", "--platform", "feishu", "--roster", ROSTER];
    const channels = ["--channel", `售前一组=${PRESALES_CHAT}`, "--channel", `售后一组=${AFTERSALES_CHAT}`];
    expect(await initCommand([...flags, ...channels, "--config", path], init, {})).toBe(0);
    expect(init.out.join("\n")).toContain("kpi roster sync");
    // The one edit a team makes by hand here: Feishu's address is the loopback fake's.
    writeFileSync(path, readFileSync(path, "utf8").replace("https://open.feishu.cn", fake.domain));

    const sync = captured();
    expect(await rosterCommand(["sync", "--from", "feishu", "--yes", "--config", path], sync, env)).toBe(0);
    const { config } = await loadConfig(path);
    expect(config.agents).toHaveLength(30);
    const withEmail = rosterRows().filter(([, , , , , email]) => email).length;
    expect(config.agents.filter((a) => a.chat?.feishu?.startsWith("ou_"))).toHaveLength(withEmail);
    expect(config.teams.map((t) => t.channels.feishu).sort()).toEqual([AFTERSALES_CHAT, PRESALES_CHAT]);

    const doctor = captured();
    const code = await doctorCommand(["--config", path], doctor, env);
    expect(doctor.out.filter((line) => line.startsWith("✗"))).toEqual([]);
    expect(code).toBe(0);
    expect(doctor.out.join("\n")).toMatch(/Feishu/);
    expect(doctor.out.at(-1)).toBe("all well");
  });
});
