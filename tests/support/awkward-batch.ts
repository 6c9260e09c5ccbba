import { expect } from "vitest";
import type { AgentDayRecord, RecordChunk, SourceBatch, StreamedBatch } from "../../src/sources/source.ts";
import { agentDaysBetween } from "../../src/store/agent-day-repo.ts";
import type { Store } from "../../src/store/database.ts";
import type { ImportOptions } from "../../src/store/import-repo.ts";
import { agentAccounts } from "../../src/store/schema.ts";

/**
 * A batch whose text COPY's format or JSON could misread (tabs, newlines, backslashes, a field
 * reading \\N, quotes, Chinese), to be stored by COPY (the threshold lowered to one agent-day)
 * and read back as it went in: tests/store/import-copy.test.ts, and through an attached store's
 * socket in tests/store/attached-store.test.ts.
 */

export const awkwardOptions = (over: Partial<ImportOptions> = {}): ImportOptions => ({
  fileHash: "hash-1",
  fileName: "awkward.csv",
  shopId: "s1",
  unknownAgents: "create",
  defaultRole: "presales",
  actor: "test",
  now: new Date("2026-11-23T01:00:00Z"),
  copyFrom: 1,
  ...over,
});

export const AWKWARD_ACCOUNTS = [
  "旗舰店:小张",
  "tab\there",
  "new\nline and\rreturn",
  "back\\slash\\",
  "\\N",
  "\\.",
  `"quoted" 'single'`,
  "end with tab\t",
];
export const AWKWARD_METRIC = 'id "with"\tall\\sorts\n of 字符';

export const awkwardRecords: AgentDayRecord[] = AWKWARD_ACCOUNTS.map((agent, i) => ({
  line: i + 2,
  agent,
  day: "2026-11-20",
  values: { reply_rate: { num: 90 + i, den: 100 }, [AWKWARD_METRIC]: { num: i, den: 3 } },
  pending: [AWKWARD_METRIC, "a\\b"],
}));

export const awkwardBatch = (): SourceBatch => ({
  source: "chitu",
  records: awkwardRecords,
  facts: [],
  problems: [],
});

export async function expectStoredAsGiven(store: Store): Promise<void> {
  const accounts = await store.db.select().from(agentAccounts);
  expect(accounts.map((a) => a.account).sort()).toEqual([...AWKWARD_ACCOUNTS].sort());
  const agentOf = new Map(accounts.map((a) => [a.agentId, a.account]));
  const stored = await agentDaysBetween(store.db, "2026-11-20", "2026-11-20");
  expect(
    stored
      .map((d) => ({ agent: agentOf.get(d.agentId), values: d.values, pending: d.pending }))
      .sort((a, b) => (a.agent! < b.agent! ? -1 : 1)),
  ).toEqual(
    awkwardRecords
      .map((r) => ({ agent: r.agent, values: r.values, pending: r.pending }))
      .sort((a, b) => (a.agent < b.agent ? -1 : 1)),
  );
}

/**
 * A streamed Chitu batch whose reading number `reading` (1 for the census, 2 for the store) gives
 * what `read` yields for it: a file that changes, or fails, between the import's two readings.
 */
export function readingsApart(read: (reading: number) => AsyncGenerator<RecordChunk>): StreamedBatch {
  let readings = 0;
  return { source: "chitu", facts: [], problems: [], records: { read: () => read(++readings) } };
}
