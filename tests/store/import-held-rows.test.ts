import { describe, expect, it } from "vitest";
import type { AgentDayRecord } from "../../src/sources/source.ts";
import { copyText } from "../../src/store/copy-in.ts";
import { figuresText } from "../../src/store/figures-text.ts";
import { HeldRows } from "../../src/store/import-held-rows.ts";

/**
 * What the census keeps of a big batch (import-held-rows.ts) is the COPY text the staging would
 * have written for the same rows, whatever the pieces it is cut into; text beyond ASCII (Chinese
 * ids, 3 bytes a character in UTF-8) must not shift a row's bytes.
 */

const record = (agent: string, day: string, i: number): AgentDayRecord => ({
  line: i + 2,
  agent,
  day,
  values: { reply_rate: { num: 90 + (i % 10), den: 100 }, [`满意度\t${i % 3}`]: { num: i, den: 7 } },
  pending: i % 4 === 0 ? ["转化率", "a\\b"] : [],
});

const agents = ["旗舰店:小张", "tab\there", "back\\slash", "plain"];
const records = Array.from({ length: 200 }, (_, i) =>
  record(agents[i % agents.length]!, i < 120 ? "2026-11-20" : "2026-11-21", i),
);

/** The COPY text of agent_days' staging columns, written field by field. */
const expected = (agentOf: (agent: string) => string) =>
  copyText(
    records.map((r) => ["s1", agentOf(r.agent), r.day!, figuresText(r.values), JSON.stringify(r.pending)]),
  );

describe("a batch's rows kept as COPY text by its census", () => {
  it("gives back every row, in order, with its shop and agent ahead and what follows after, across many pieces", () => {
    const held = new HeldRows(1 << 20, 256);
    for (const r of records) held.add(r, "s1", r.day!);
    held.close();
    const agentOf = (agent: string) => `id-${agent}`;
    const before = held.accounts.map((a) =>
      Buffer.from(`${a.shop}\t${copyText([[agentOf(a.account)]]).slice(0, -1)}\t`),
    );
    const pieces = [...held.copyText((account) => before[account]!, Buffer.from("\n"))];
    expect(pieces.length).toBeGreaterThan(10);
    expect(Buffer.concat(pieces.map((p) => p.text)).toString("utf8")).toBe(expected(agentOf));
    expect(pieces.reduce((sum, p) => sum + p.rows, 0)).toBe(200);
    expect(held.rows).toBe(200);
    expect([...held.rowsByDay]).toEqual([
      ["2026-11-20", 120],
      ["2026-11-21", 80],
    ]);
    expect(held.accounts.map((a) => a.account)).toEqual(agents);
  });

  it("lets go of everything once the rows outgrow its bound, so that the batch is read again", () => {
    const held = new HeldRows(4_000, 256);
    for (const r of records) held.add(r, "s1", r.day!);
    held.close();
    expect(held.held).toBe(false);
    expect(held.rows).toBe(0);
    expect([...held.copyText(() => Buffer.alloc(0), Buffer.from("\n"))]).toEqual([]);
    expect(new HeldRows(0).held).toBe(false);
  });
});
