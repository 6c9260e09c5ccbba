import { sql } from "drizzle-orm";
import { openStore, rowsOf, type StoreOptions } from "../../src/store/database.ts";

/**
 * What a run leaves in the database, in a form two runs can be compared by: each table as sorted
 * lines, without what legitimately differs between runs (row ids, import run ids, the times rows
 * were written, computed or sent, send attempts, a console message's running number). Fact ids
 * show in outbox keys, notice subjects and the nudges' text ("差评 #2777"): they are replaced by
 * the fact's own key, since an id taken by a killed transaction is never handed out again.
 */

export type FinalState = Record<string, string[]>;

const QUERIES: Record<string, string> = {
  figures: `SELECT shop_id, agent_id, day::text, source, values, pending::text FROM agent_days`,
  scorecards: `SELECT s.agent_id, s.period_kind, s.period_key, v.role, v.effective_from::text, v.digest,
      s.total, s.grade, s.coefficient, s.card::text
    FROM scorecards s JOIN scheme_versions v ON v.id = s.scheme_version_id`,
  facts: `SELECT shop_id, fact_key, kind, agent_id, day::text, at, ref, detail::text FROM facts`,
  followUps: `SELECT f.shop_id, f.fact_key, u.outcome, u.note, u.done_by, u.done_at
    FROM follow_ups u JOIN facts f ON f.id = u.fact_id`,
  importRuns: `SELECT source, file_hash, shop_id, day::text, status, record_count, problem_count, problems::text
    FROM import_runs WHERE status <> 'rejected'`,
  owedScoring: `SELECT period_key, period_kind, reason FROM owed_scoring`,
  outbox: `SELECT key, platform, destination::text, status, reply::text FROM outbox`,
  notices: `SELECT subject, agent_id, kind, outbox_key FROM notices`,
  digestSnapshots: `SELECT team_id, period_kind, period_key, cards::text FROM digest_snapshots`,
  jobSlots: `SELECT job, slot, status FROM job_slots`,
  agents: `SELECT id, name, role, team_id, supervisor_id, trainee_since::text, shift::text, active FROM agents`,
  accounts: `SELECT shop_id, account, agent_id FROM agent_accounts`,
  schemes: `SELECT role, scheme_id, effective_from::text, digest FROM scheme_versions`,
  qaConversations: `SELECT shop_id, session, agent_id, day::text, strata::text, bad_review, transcript
    FROM qa_conversations`,
  qaReviews: `SELECT c.shop_id, c.session, r.agent_id, r.reviewer_id, r.week, r.stratum
    FROM qa_reviews r JOIN qa_conversations c ON c.id = r.conversation_id`,
  gamingSignals: `SELECT shop_id, agent_id, day::text, kind, evidence::text, conversations FROM gaming_signals`,
  gamingAlerts: `SELECT agent_id, week, kind, evidence::text, status FROM gaming_alerts`,
};

/**
 * Ids a killed transaction may have taken differently in each run, by what they stand for: a 质检
 * review (its conversation's id) as shop and session, a gaming alert as agent, week and kind.
 * They show in the messages of their own outbox rows only (`qa:<id>:card`, "质检 #<id>", a
 * button's value; "#<id>" of an alert).
 */
const ID_KEYS: { rows: RegExp; ids: string }[] = [
  {
    rows: /^qa/,
    ids: `SELECT id, 'qa ' || shop_id || '/' || session AS key FROM qa_conversations`,
  },
  {
    rows: /^gaming/,
    ids: `SELECT id, 'alert ' || agent_id || '/' || week || '/' || kind AS key FROM gaming_alerts`,
  },
];

export async function readFinalState(options: StoreOptions): Promise<FinalState> {
  const store = await openStore(options);
  try {
    const factKeys = new Map(
      rowsOf<{ id: number; key: string }>(
        await store.db.execute(sql.raw(`SELECT id, shop_id || '/' || fact_key AS key FROM facts`)),
      ).map((f) => [String(f.id), f.key]),
    );
    const idKeys: { rows: RegExp; keys: Map<string, string> }[] = [];
    for (const { rows, ids } of ID_KEYS) {
      const found = rowsOf<{ id: number; key: string }>(await store.db.execute(sql.raw(ids)));
      idKeys.push({ rows, keys: new Map(found.map((f) => [String(f.id), f.key])) });
    }
    const state: FinalState = {};
    for (const [table, query] of Object.entries(QUERIES)) {
      const rows = rowsOf<Record<string, unknown>>(await store.db.execute(sql.raw(query)));
      state[table] = rows
        .map((row) => withoutClockReadings(withFactKeys(withIdKeys(line(row), idKeys), factKeys)))
        .sort();
    }
    return state;
  } finally {
    await store.close();
  }
}

function line(row: Record<string, unknown>): string {
  return Object.values(row)
    .map((v) => (v instanceof Date ? v.toISOString() : v === null ? "∅" : String(v)))
    .join(" | ");
}

/**
 * What a message reads off the clock at the moment it is drawn: a follow-up's time left ("还剩
 * 6小时34分", a table's 剩余 cell) and a 质检 card's time to review by (the sampling's moment plus
 * the review days). A step run again after a kill starts where the killed run's clock stopped
 * (crash-run.ts), so on a slow machine it draws them a minute or more later than the run without
 * kills: the same message, read at another moment. The deadlines themselves (跟进截止 12-07 16:54)
 * come from stored facts and are compared as they are, as is the 质检 card's day.
 */
function withoutClockReadings(text: string): string {
  return text
    .replace(/\d+天(\d+小时)?|\d+小时(\d+分)?|\d+分钟/g, "{duration}")
    .replace(/(请于 \d\d-\d\d )\d\d:\d\d( 前完成质检)/g, "$1{time}$2");
}

/** In a 质检 or gaming alert message, its ids → what they stand for (ID_KEYS). */
function withIdKeys(text: string, idKeys: readonly { rows: RegExp; keys: Map<string, string> }[]): string {
  const own = idKeys.find(({ rows }) => rows.test(text));
  if (!own) return text;
  const key = (m: string, id: string) => {
    const found = own.keys.get(id);
    return found === undefined ? m : m.replace(id, `{${found}}`);
  };
  return text.replace(/(?:^qa:|#|rate |"value": ?")(\d+)/g, key);
}

/** `bad_review:2777`, `#2777`, a button's `"value": "2777"` → the fact's key. */
function withFactKeys(text: string, factKeys: ReadonlyMap<string, string>): string {
  const key = (id: string, original: string) => {
    const found = factKeys.get(id);
    return found === undefined ? original : `{fact ${found}}`;
  };
  return text
    .replace(/(?<=[a-z_]:)(\d+)(?=$|[: |])/g, (m, id: string) => key(id, m))
    .replace(/#(\d+)/g, (m, id: string) => key(id, m))
    .replace(/("value": ?")(\d+)"/g, (m, prefix: string, id: string) => `${prefix}${key(id, m)}"`);
}

/**
 * Per table, the lines only one of the two states has (a few of each), or nothing when equal.
 * Long lines are shown from a little before where they part from the nearest line of the other
 * run, so a card that differs in one figure shows that figure. Equal means equal to the last bit:
 * the same figures give the same cards (agentDaysBetween hands them to the engine in key order).
 */
export function stateDifferences(expected: FinalState, actual: FinalState, shown = 3): string[] {
  const out: string[] = [];
  for (const table of Object.keys(expected)) {
    const missing = multisetMinus(expected[table] ?? [], actual[table] ?? []);
    const extra = multisetMinus(actual[table] ?? [], expected[table] ?? []);
    if (missing.length === 0 && extra.length === 0) continue;
    const sample = (lines: string[], others: string[]) =>
      lines
        .slice(0, shown)
        .map((line) => `      ${excerpt(line, others)}`)
        .join("\n");
    out.push(
      `${table}: ${missing.length} rows only without kills, ${extra.length} only with kills\n` +
        `    without kills:\n${sample(missing, extra)}\n    with kills:\n${sample(extra, missing)}`,
    );
  }
  return out;
}

/** The line's start, and where it parts from the line of `others` it shares the longest start with. */
function excerpt(line: string, others: readonly string[]): string {
  if (line.length <= 300) return line;
  let parts = 0;
  for (const other of others) {
    let i = 0;
    while (i < line.length && line[i] === other[i]) i++;
    parts = Math.max(parts, i);
  }
  if (parts < 200) return `${line.slice(0, 300)}…`;
  return `${line.slice(0, 120)} … ${line.slice(parts - 80, parts + 120)}…`;
}

function multisetMinus(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of b) counts.set(line, (counts.get(line) ?? 0) + 1);
  return a.filter((line) => {
    const n = counts.get(line) ?? 0;
    if (n === 0) return true;
    counts.set(line, n - 1);
    return false;
  });
}

/** Per team channel: its digest messages in the outbox, and the attempts made at sending them. */
export async function digestAttempts(
  options: StoreOptions,
): Promise<Map<string, { messages: number; attempts: number }>> {
  const store = await openStore(options);
  try {
    const rows = rowsOf<{ key: string; attempts: number }>(
      await store.db.execute(sql.raw(`SELECT key, attempts FROM outbox WHERE key LIKE 'digest%'`)),
    );
    const byTeam = new Map<string, { messages: number; attempts: number }>();
    for (const row of rows) {
      const team = row.key.split(":")[2]!;
      const seen = byTeam.get(team) ?? { messages: 0, attempts: 0 };
      byTeam.set(team, { messages: seen.messages + 1, attempts: seen.attempts + Number(row.attempts) });
    }
    return byTeam;
  } finally {
    await store.close();
  }
}
