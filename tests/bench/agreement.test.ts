import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { responseMetricsDuckDB, transferMetricsDuckDB } from "../../bench/chatlog/duckdb.ts";
import { generateChatlog } from "../../bench/chatlog/generate.ts";
import { differences, responseRows, transferRows } from "../../bench/chatlog/ours.ts";
import { responseMetricsPostgres, transferMetricsPostgres } from "../../bench/chatlog/postgres.ts";
import { readMessagesInParallel } from "../../src/sources/chatlog-parallel.ts";
import { analyseChatlog } from "../../src/sources/chatlog-source.ts";
import { withDatabase } from "../support/postgres.ts";

/**
 * The three-way agreement of bench/chatlog on a small generated log: our engine, DuckDB SQL and
 * PostgreSQL SQL must give the same five response figures for every agent-day, to the millisecond.
 */
describe("our engine, DuckDB and PostgreSQL agree", () => {
  let dir: string;
  let csv: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kpi-agree-"));
    const summary = await generateChatlog({
      out: dir,
      messages: 40_000,
      days: 4,
      start: "2026-11-09",
      seed: 7,
    });
    csv = summary.files["messages.csv"]!;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["one core", 1],
    ["two cores", 2],
  ] as const)("on every agent-day of a generated log (ours on %s)", async (_, threads) => {
    const options = { only: ["response" as const] };
    const result =
      threads === 1
        ? await analyseChatlog({ messages: csv }, options, 1)
        : await readMessagesInParallel(csv, csv, options, threads, { problems: [], problemCount: 0 }, 0);
    const ours = responseRows(result!.agentDays);
    const duck = await responseMetricsDuckDB(csv, { threads: 2 });
    const pg = await withDatabase(inject("databaseUrl"), (sql) => responseMetricsPostgres(sql, csv));
    expect(ours.length).toBeGreaterThan(100);
    expect(ours.some((r) => r.counted > r.answered)).toBe(true); // some consultations went unanswered
    expect(differences(ours, duck)).toEqual([]);
    expect(differences(ours, pg)).toEqual([]);
  });

  it("on transfer_rate, leaving transfers the customer asked for out of the numerator (seed 000)", async () => {
    const result = await analyseChatlog({ messages: csv }, { only: ["response"] }, 1);
    const ours = transferRows(result.agentDays);
    const duck = await transferMetricsDuckDB(csv, { threads: 2 });
    const pg = await withDatabase(inject("databaseUrl"), (sql) => transferMetricsPostgres(sql, csv));
    const transferred = ours.reduce((n, r) => n + r.transfersOut, 0);
    expect(transferred).toBeGreaterThan(10);
    // The log holds customer-requested transfers too, which would add to the numerator if counted.
    expect((await readFile(csv, "utf8")).split("customer_request").length - 1).toBeGreaterThan(5);
    expect(differences(ours, duck)).toEqual([]);
    expect(differences(ours, pg)).toEqual([]);
  });
});
