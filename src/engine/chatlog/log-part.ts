import { AgentDays, type AgentDaysDump, SLOT } from "./agent-days.ts";
import { ByteInterner, type InternedBytes, PhraseMatcher } from "./bytes.ts";
import { ConcurrencyIntervals } from "./concurrency.ts";
import { SessionFacts } from "./facts.ts";
import { MessageCsvReader, MessageJsonReader, type MessageSink } from "./message-reader.ts";
import { DEFAULT_FORBIDDEN_PHRASES } from "./profiles.ts";
import type { LineProblem } from "./result.ts";
import { type ChatlogOptions, DEFAULT_SESSION_GAP, type RuleBook, type ShopRules } from "./rules.ts";
import { Consultations } from "./sales.ts";
import { type SessionLines, SessionStore } from "./session-store.ts";
import { SessionTable, type SessionTableDump } from "./session-table.ts";
import { newSummary, newTally, type SegmentTally, type SessionSummary, walkSession } from "./session-walk.ts";
import { applyTally, DeferredTallies, type TallyContext, type TallyTargets } from "./tallies.ts";

/**
 * Reads the messages of a whole file, or of one part of it (a byte range read on another core),
 * into per-agent-day tallies and the tables that the rules spanning sessions need. What it holds
 * at the end is a PartState: plain arrays that Combined puts together with other parts.
 */

export const MAX_PROBLEMS = 1000;

/**
 * Sessions cut by a part boundary, their lines packed into a few arrays (a thread can move a few
 * large arrays cheaply, not thousands of small ones): session k's lines are
 * [starts[k], starts[k] + counts[k]) of the line arrays. Agent ids are the part's own.
 */
export interface Boundary {
  names: string[];
  shops: string[];
  customers: (string | null)[];
  starts: Int32Array;
  counts: Int32Array;
  ts: Float64Array;
  /** Line positions across the whole file (parts are numbered in file order). */
  seq: Float64Array;
  kind: Uint8Array;
  agent: Int32Array;
  toAgent: Int32Array;
  phrase: Int16Array;
}

/** One whole session (joined across parts) to walk. */
export interface JoinedSession {
  name: string;
  shop: string;
  customer: string | null;
  count: number;
  ts: Float64Array;
  seq: Float64Array;
  kind: Uint8Array;
  agent: Int32Array;
  toAgent: Int32Array;
  phrase: Int16Array;
}

export interface PartState {
  problems: LineProblem[];
  problemCount: number;
  goodLines: number;
  dataEnd: number;
  peakOpen: number;
  consultations: number;
  segments: number;
  unattributedSegments: number;
  shops: InternedBytes;
  agents: InternedBytes;
  customers: InternedBytes;
  sessions: InternedBytes;
  keyShop: Int32Array;
  keyCustomer: Int32Array;
  sessionShop: Int32Array;
  sessionCustomer: Int32Array;
  days: AgentDaysDump;
  table: SessionTableDump;
  consultationRows: ReturnType<Consultations["dump"]>;
  intervals: ReturnType<ConcurrencyIntervals["dump"]>;
  effectiveKeys: Float64Array;
  effectiveValid: Uint8Array;
  deferred: ReturnType<DeferredTallies["dump"]>;
  facts: ReturnType<SessionFacts["dump"]>;
  boundary: Boundary;
}

export interface PartBounds {
  /** Sessions first seen in this many lines of the part may have begun in the part before. */
  holdFirstLines: number;
  /** Open sessions at the end may continue in the part after. */
  exportOpenAtEnd: boolean;
  /** This part's first line's position in the whole file (for ordering lines of equal time). */
  seqBase: number;
}

export const WHOLE_FILE: PartBounds = { holdFirstLines: 0, exportOpenAtEnd: false, seqBase: 0 };

class BoundaryBuilder {
  readonly names: string[] = [];
  readonly shops: string[] = [];
  readonly customers: (string | null)[] = [];
  private readonly starts: number[] = [];
  private readonly counts: number[] = [];
  private ts: number[] = [];
  private seq: number[] = [];
  private kind: number[] = [];
  private agent: number[] = [];
  private toAgent: number[] = [];
  private phrase: number[] = [];

  add(name: string, shop: string, customer: string | null, lines: SessionLines, seqBase: number): void {
    this.names.push(name);
    this.shops.push(shop);
    this.customers.push(customer);
    this.starts.push(this.ts.length);
    this.counts.push(lines.count);
    for (let i = 0; i < lines.count; i++) {
      this.ts.push(lines.ts[i]!);
      this.seq.push(lines.seq[i]! + seqBase);
      this.kind.push(lines.kind[i]!);
      this.agent.push(lines.agent[i]!);
      this.toAgent.push(lines.toAgent[i]!);
      this.phrase.push(lines.phrase[i]!);
    }
  }

  build(): Boundary {
    return {
      names: this.names,
      shops: this.shops,
      customers: this.customers,
      starts: Int32Array.from(this.starts),
      counts: Int32Array.from(this.counts),
      ts: Float64Array.from(this.ts),
      seq: Float64Array.from(this.seq),
      kind: Uint8Array.from(this.kind),
      agent: Int32Array.from(this.agent),
      toAgent: Int32Array.from(this.toAgent),
      phrase: Int16Array.from(this.phrase),
    };
  }
}

export class LogPart implements MessageSink {
  readonly shops = new ByteInterner();
  readonly agents = new ByteInterner();
  readonly customers = new ByteInterner();
  private readonly customerKeys = new Map<number, number>();
  private readonly keyShop: number[] = [];
  private readonly keyCustomer: number[] = [];
  readonly store: SessionStore;
  private readonly table = new SessionTable();
  private readonly days = new AgentDays();
  private readonly intervals = new ConcurrencyIntervals();
  private readonly consultations = new Consultations();
  private readonly deferred = new DeferredTallies();
  private readonly effective = new Map<number, boolean>();
  private readonly shopRules: ShopRules[] = [];
  private readonly matcher: PhraseMatcher;
  private readonly tally = newTally();
  private readonly summary = newSummary();
  private readonly targets: TallyTargets;
  private readonly facts = new SessionFacts();
  readonly problems: LineProblem[] = [];
  problemCount = 0;
  private seq = 0;
  private dataEnd = Number.NEGATIVE_INFINITY;
  private peakOpen = 0;
  private counts = { consultations: 0, segments: 0, unattributedSegments: 0 };
  private current = 0;
  private readonly gap: number;
  private readonly boundary = new BoundaryBuilder();
  private readonly onComplete = (lines: SessionLines) => this.completeSession(lines);
  private readonly onExport = (lines: SessionLines) => this.exportSession(lines);

  constructor(
    options: ChatlogOptions,
    private readonly rulebook: RuleBook,
    private readonly bounds: PartBounds = WHOLE_FILE,
  ) {
    this.gap = options.sessionGap ?? DEFAULT_SESSION_GAP;
    this.store = new SessionStore(this.gap);
    this.matcher = new PhraseMatcher(options.forbiddenPhrases ?? DEFAULT_FORBIDDEN_PHRASES);
    this.targets = {
      days: this.days,
      effective: this.effective,
      consultation: (key, row, at) => this.consultations.add(key, row, at),
      interval: (row, from, to) => this.intervals.add(row, from, to),
    };
  }

  messagesCsv(file: string): MessageCsvReader {
    return new MessageCsvReader(this, file);
  }

  messagesJson(file: string): MessageJsonReader {
    return new MessageJsonReader(this, file);
  }

  // --- MessageSink -------------------------------------------------------------------------

  internSession(b: Uint8Array, start: number, end: number): number {
    return this.store.ids.intern(b, start, end);
  }

  private lastShop = -1;

  internShop(b: Uint8Array, start: number, end: number): number {
    // Most files hold one shop, or long runs of one.
    if (this.lastShop >= 0 && this.shops.matches(this.lastShop, b, start, end)) return this.lastShop;
    this.lastShop = this.shops.intern(b, start, end);
    return this.lastShop;
  }

  internAgent(session: number, b: Uint8Array, start: number, end: number): number {
    // A session's lines mostly name the same agent as its previous line.
    const last = session >= 0 ? this.store.lastAgentOf(session) : -1;
    if (last >= 0 && this.agents.matches(last, b, start, end)) return last;
    return this.agents.intern(b, start, end);
  }

  needsCustomer(session: number): boolean {
    return this.store.customerOf(session) < 0;
  }

  internCustomer(b: Uint8Array, start: number, end: number): number {
    return this.customers.intern(b, start, end);
  }

  matchPhrase(b: Uint8Array, start: number, end: number): number {
    return this.matcher.match(b, start, end);
  }

  addMessage(
    line: number,
    session: number,
    ts: number,
    kind: number,
    agent: number,
    toAgent: number,
    phrase: number,
    shop: number,
    customer: number,
  ): string | undefined {
    if (this.store.isDone(session)) {
      return (
        `session ${this.store.ids.name(session)} comes back after its lines ended (line ${this.store.lastLine[session]}, ` +
        `no line of it for ${this.gap.toLocaleString("en-US")} lines); keep a session's lines closer together or raise the session gap`
      );
    }
    this.store.add(session, this.seq, line, ts, kind, agent, toAgent, phrase, shop, customer);
    if (ts > this.dataEnd) this.dataEnd = ts;
    if ((++this.seq & 0xffff) === 0) {
      if (this.store.openSessions > this.peakOpen) this.peakOpen = this.store.openSessions;
      this.store.sweep(this.seq, this.onComplete, this.bounds.holdFirstLines);
    }
    return undefined;
  }

  problem(file: string, line: number, reason: string): void {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ file, line, reason });
  }

  // --- sessions ----------------------------------------------------------------------------

  private rules(shop: number): ShopRules {
    let rules = this.shopRules[shop];
    if (!rules) {
      rules = this.rulebook.forShop(this.shops.name(shop));
      this.shopRules[shop] = rules;
    }
    return rules;
  }

  private customerKey(shop: number, customer: number): number {
    const composite = shop * 67_108_864 + customer;
    let key = this.customerKeys.get(composite);
    if (key === undefined) {
      key = this.keyShop.length;
      this.customerKeys.set(composite, key);
      this.keyShop.push(shop);
      this.keyCustomer.push(customer);
    }
    return key;
  }

  private readonly sink = {
    segment: (t: SegmentTally, s: SessionSummary) => {
      this.counts.segments++;
      const shop = this.store.shop[this.current]!;
      const rules = this.rules(shop);
      if (rules.profile.reconsultMergeMinutes) this.deferred.push(this.current, t);
      else if (!applyTally(t, this.context(s, rules), this.targets)) this.counts.unattributedSegments++;
    },
    longWait: (
      _s: SessionSummary,
      agent: number,
      runStart: number,
      wait: number,
      endedBy: "reply" | "close" | "end",
    ) => {
      this.facts.longWait(this.current, agent, runStart, wait, endedBy);
    },
    phrase: (_s: SessionSummary, agent: number, at: number, phrase: number) => {
      this.facts.phrase(this.current, agent, at, phrase);
    },
  };

  private context(s: SessionSummary, rules: ShopRules): TallyContext {
    const customer = this.store.customer[this.current]!;
    const shop = this.store.shop[this.current]!;
    return {
      shop,
      customer: customer >= 0 ? this.customerKey(shop, customer) : -1,
      day: s.day,
      leave: s.leave,
      excluded30s: s.excluded30s,
      excludedArt: s.excludedArt,
      leaveReplyRateOnly: rules.profile.leaveMessageSessions === "reply-rate-only",
      continuation: false,
    };
  }

  /** Walks one complete session (also used for sessions joined across parts). */
  completeSession(lines: SessionLines): void {
    this.current = lines.session;
    const rules = this.rules(lines.shop);
    walkSession(lines, rules.walk, rules.local, this.tally, this.summary, this.sink);
    const s = this.summary;
    if (!s.consultation) return;
    this.counts.consultations++;
    const customerKey = lines.customer >= 0 ? this.customerKey(lines.shop, lines.customer) : -1;
    this.table.record(
      lines.session,
      lines.shop,
      customerKey,
      s,
      rules.profile.reconsultMergeMinutes !== undefined,
    );
    if (s.leave && s.lastAgent >= 0) {
      const row = this.days.row(lines.shop, s.lastAgent, s.day);
      this.days.add(row, SLOT.leaveSessions, 1);
      if (s.leaveAnswered) this.days.add(row, SLOT.leaveAnswered, 1);
    }
  }

  private exportSession(lines: SessionLines): void {
    const customer = lines.customer >= 0 ? this.customers.name(lines.customer) : null;
    this.boundary.add(
      this.store.ids.name(lines.session),
      this.shops.name(lines.shop),
      customer,
      lines,
      this.bounds.seqBase,
    );
    if (lines.ts[lines.count - 1]! > this.dataEnd) this.dataEnd = lines.ts[lines.count - 1]!;
  }

  /**
   * The sessions open at the end of the messages that continue into the next part, by name: the
   * next part sets their first lines aside for joining.
   */
  openAtEnd(): string[] {
    return this.bounds.exportOpenAtEnd ? this.store.openIds().map((id) => this.store.ids.name(id)) : [];
  }

  /**
   * Walks a session whose lines were read in several parts, joined and in time order. Agent ids
   * in `lines` must be this part's.
   */
  walkJoined(raw: JoinedSession, agent: Int32Array, toAgent: Int32Array): void {
    const session = this.store.ids.internString(raw.name);
    const shop = this.shops.internString(raw.shop);
    const customer = raw.customer === null ? -1 : this.customers.internString(raw.customer);
    this.store.recordDone(session, shop, customer);
    const end = raw.ts[raw.count - 1]!;
    if (end > this.dataEnd) this.dataEnd = end;
    this.completeSession({
      session,
      shop,
      customer,
      count: raw.count,
      ts: raw.ts,
      seq: raw.seq,
      kind: raw.kind,
      agent,
      toAgent,
      phrase: raw.phrase,
    });
  }

  /**
   * Ends the messages: completes the sessions, but sets aside those that continue in a
   * neighbouring part: all open ones if the next part follows, and those of the previous part's
   * open ones (`continuing`, by name) that this part saw first in its first lines.
   */
  endMessages(continuing: ReadonlySet<string> = new Set()): void {
    if (this.store.openSessions > this.peakOpen) this.peakOpen = this.store.openSessions;
    const hold = this.bounds.holdFirstLines;
    const exportAll = this.bounds.exportOpenAtEnd;
    this.store.drain(this.onComplete, this.onExport, (session) => {
      if (exportAll) return true;
      return (
        hold > 0 && this.store.firstSeenBefore(session, hold) && continuing.has(this.store.ids.name(session))
      );
    });
  }

  /** Everything read, as plain arrays (call after endMessages). */
  state(): PartState {
    const effectiveKeys = new Float64Array(this.effective.size);
    const effectiveValid = new Uint8Array(this.effective.size);
    let i = 0;
    for (const [key, valid] of this.effective) {
      effectiveKeys[i] = key;
      effectiveValid[i++] = valid ? 1 : 0;
    }
    const sessions = this.store.ids.size;
    return {
      problems: this.problems,
      problemCount: this.problemCount,
      goodLines: this.seq,
      dataEnd: this.dataEnd,
      peakOpen: this.peakOpen,
      ...this.counts,
      shops: this.shops.dump(),
      agents: this.agents.dump(),
      customers: this.customers.dump(),
      sessions: this.store.ids.dump(),
      keyShop: Int32Array.from(this.keyShop),
      keyCustomer: Int32Array.from(this.keyCustomer),
      sessionShop: this.store.shop.slice(0, sessions),
      sessionCustomer: this.store.customer.slice(0, sessions),
      days: this.days.dump(),
      table: this.table.dump(),
      consultationRows: this.consultations.dump(),
      intervals: this.intervals.dump(),
      effectiveKeys,
      effectiveValid,
      deferred: this.deferred.dump(),
      facts: this.facts.dump(),
      boundary: this.boundary.build(),
    };
  }
}
