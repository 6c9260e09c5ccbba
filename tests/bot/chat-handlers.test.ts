import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { chatHandlers, FAILURE_REPLY } from "../../src/bot/chat-handlers.ts";
import { createLog } from "../../src/log.ts";
import { createMetrics } from "../../src/server/metrics.ts";

describe("the chat handlers", () => {
  it("tell the asker when the bot itself fails, log it without the text, and time the command", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const metrics = createMetrics();
    const handlers = chatHandlers(
      {
        db: undefined as never,
        now: () => new Date(),
        teams: new Map(),
        admins: new Set(),
        defaultLang: "zh-CN",
        directory: () => Promise.reject(new Error("connection refused")),
      },
      metrics,
      {},
      createLog({ destination }),
    );
    const reply = await handlers.command({ platform: "slack", userId: "U_ZHANG" }, "agent 小李 2026-11");
    expect(reply).toEqual(FAILURE_REPLY);
    expect(lines).toHaveLength(1);
    const logged = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(logged).toMatchObject({ msg: "command failed", platform: "slack", command: "agent" });
    expect(lines[0]).toContain("connection refused");
    expect(lines[0]).not.toContain("小李");
    expect(await metrics.registry.getSingleMetricAsString("kpi_command_seconds")).toContain(
      'kpi_command_seconds_count{platform="slack",command="agent"} 1',
    );
  });
});
