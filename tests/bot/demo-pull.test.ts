import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PullReport, pull } from "../../src/bot/pull.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { type LoadedConfig, parseConfig } from "../../src/config.ts";
import { agentDaysBetween } from "../../src/store/agent-day-repo.ts";
import { auditEntries } from "../../src/store/audit-repo.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/** The embedded default's source: the demo shop, loaded once, then one more day a pull. */

const NOW = new Date("2026-11-21T01:00:00Z");
const summary = (reports: PullReport[]) => reports.map((r) => [r.day, r.status]);

describe.each(STORE_KINDS)("pulling the demo shop on %s", (kind) => {
  let store: Store;
  let loaded: LoadedConfig;
  beforeEach(async () => {
    store = await openTestStore(kind);
    loaded = {
      config: parseConfig("sources: [{ id: demo, kind: demo, days: 10 }]", "test"),
      origin: "test",
      baseDir: ".",
    };
    await syncConfig(store.db, loaded, NOW);
  });
  afterEach(() => store.close());

  it("loads the shop on the first pull, then adds a day and fills in what was pending", async () => {
    const first = await pull(store.db, loaded, { runDay: "2026-11-20", actor: "t", now: NOW });
    expect(summary(first)).toEqual([["2026-11-19", "done"]]);
    const loadedDays = await agentDaysBetween(store.db, "2026-11-10", "2026-11-19");
    expect(new Set(loadedDays.map((d) => d.day)).size).toBe(10);
    expect(
      loadedDays.filter((d) => d.day === "2026-11-17").every((d) => d.pending.includes("resolution_rate")),
    ).toBe(true);

    const next = await pull(store.db, loaded, { runDay: "2026-11-21", actor: "t", now: NOW });
    expect(summary(next)).toEqual([
      ["2026-11-17", "done"],
      ["2026-11-18", "done"],
      ["2026-11-19", "done"],
      ["2026-11-20", "done"],
    ]);
    const settled = await agentDaysBetween(store.db, "2026-11-17", "2026-11-17");
    expect(settled.length).toBeGreaterThan(0);
    expect(settled.every((d) => d.pending.length === 0)).toBe(true);
    expect((await auditEntries(store.db, "import.fill-pending")).length).toBeGreaterThan(0);

    const again = await pull(store.db, loaded, { runDay: "2026-11-21", actor: "t", now: NOW });
    expect(again.every((r) => r.status === "unchanged")).toBe(true);
  });
});
