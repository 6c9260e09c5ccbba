import { AgentDays, type AgentDaysDump, SLOT } from "./agent-days.ts";
import { ByteInterner, copyBytes, type InternedBytes, PhraseMatcher } from "./bytes.ts";
import { ConcurrencyIntervals, type IntervalsDump } from "./concurrency.ts";
import { type FactsDump, SessionFacts } from "./facts.ts";
import { MessageCsvReader, MessageJsonReader } from "./message-reader.ts";
import type { MessageSink } from "./message-sink.ts";
import { PhraseJudge } from "./phrase-judge.ts";
import type { LineProblem } from "./result.ts";
import {
  type ChatlogOptions,
  DEFAULT_SESSION_GAP,
  type Keeps,
  keepsOf,
  type RuleBook,
  type ShopRules,
} from "./rules.ts";
import { Consultations, type ConsultationsDump } from "./sales.ts";
import type { DoneDump } from "./session-index.ts";
import { LATE, type SessionLines, SessionStore } from "./session-store.ts";
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
  note: Int16Array;
  /** The sentences around the phrase hits of these lines, by line position across the file. */
  sentences: Map<number, string>;
  /**
   * Sessions open at the end that the next part did not see in its first lines, so were
   * completed here: should the next part have them later, their lines were too far apart.
   */
  completedAtEnd: string[];
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
  note: Int16Array;
  /** The sentences around its phrase hits, by line position across the file. */
  sentences: Map<number, string>;
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
  /** Customers within their shop: two bytes of shop id, then the customer id. */
  customerKeys: InternedBytes;
  /** Finished sessions by fingerprint, for ratings that name a session. */
  done: DoneDump;
  days: AgentDaysDump;
  table: SessionTableDump;
  consultationRows: ConsultationsDump;
  intervals: IntervalsDump;
  effectiveKeys: Float64Array;
  effectiveValid: Uint8Array;
  deferred: ReturnType<DeferredTallies["dump"]>;
  facts: FactsDump;
  boundary: Boundary;
}

/** The customer key's bytes are the shop id (two bytes) followed by the customer id. */
export const CUSTOMER_KEY_PREFIX = 2;

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
  private note: number[] = [];
  private readonly sentences = new Map<number, string>();
  readonly completedAtEnd: string[] = [];

  /** Adds a session's lines, taking the sentences of its phrase hits out of `sentences`. */
  add(
    name: string,
    shop: string,
    customer: string | null,
    lines: SessionLines,
    seqBase: number,
    sentences: Map<number, string>,
  ): void {
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
      this.note.push(lines.note[i]!);
      const sentence = lines.note[i]! > 0 ? sentences.get(lines.seq[i]!) : undefined;
      if (sentence !== undefined) {
        this.sentences.set(lines.seq[i]! + seqBase, sentence);
        sentences.delete(lines.seq[i]!);
      }
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
      note: Int16Array.from(this.note),
      sentences: this.sentences,
      completedAtEnd: this.completedAtEnd,
    };
  }
}

export class LogPart implements MessageSink {
  readonly shops = new ByteInterner();
  readonly agents = new ByteInterner();
  readonly customerKeys = new ByteInterner();
  private keyBytes = new Uint8Array(256);
  readonly store: SessionStore;
  private readonly table = new SessionTable();
  private readonly days = new AgentDays();
  private readonly intervals = new ConcurrencyIntervals();
  private readonly consultations = new Consultations();
  private readonly deferred = new DeferredTallies();
  private readonly effective = new Map<number, boolean>();
  private readonly shopRules: ShopRules[] = [];
  /** Finds the messages that hold a phrase at all (fast, on bytes); the judge decides (rare). */
  private readonly matcher: PhraseMatcher;
  private readonly judge: PhraseJudge;
  private readonly utf8 = new TextDecoder();
  /** The sentence around each phrase hit, by the line's position, until the session is walked. */
  private readonly sentences = new Map<number, string>();
  private currentSentences = this.sentences;
  private currentSeq: Float64Array = new Float64Array(0);
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
  /** The current session's id bytes, for facts: [bytes, offset, length]. */
  private currentName: [Uint8Array, number, number] = [new Uint8Array(0), 0, 0];
  private readonly gap: number;
  private readonly keeps: Keeps;
  /** Sessions first seen before this line may continue from the part before: not completed yet. */
  private hold: number;
  /** Once the previous part's open sessions are known: pin them when first seen before `before`. */
  private pinning: { names: ReadonlySet<string>; before: number } | null = null;
  private readonly boundary = new BoundaryBuilder();
  /** Told once which sessions this part saw first in its first `holdFirstLines` lines. */
  private onEarly: ((names: string[]) => void) | null = null;
  /** The next part's early sessions (the only ones that can continue there), once known. */
  private laterEarly: ReadonlySet<string> | null = null;
  private readonly onComplete = (lines: SessionLines) => this.completeSession(lines);
  private readonly onExport = (lines: SessionLines) => this.exportSession(lines);

  constructor(
    options: ChatlogOptions,
    private readonly rulebook: RuleBook,
    private readonly bounds: PartBounds = WHOLE_FILE,
  ) {
    this.gap = options.sessionGap ?? DEFAULT_SESSION_GAP;
    this.hold = bounds.holdFirstLines;
    this.store = new SessionStore(this.gap, keepsOf(options).table);
    const phraseRules = rulebook.phrases.rules;
    this.matcher = new PhraseMatcher(phraseRules.map((r) => r.phrase));
    this.judge = new PhraseJudge(phraseRules, options.wordSegmenter);
    this.keeps = keepsOf(options);
    const keeps = this.keeps;
    this.targets = {
      days: this.days,
      effective: this.effective,
      consultation: keeps.consultations ? (key, row, at) => this.consultations.add(key, row, at) : () => {},
      interval: keeps.concurrency ? (row, from, to) => this.intervals.add(row, from, to) : () => {},
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
    return this.store.slotFor(b, start, end);
  }

  private lastShop = -1;

  internShop(session: number, b: Uint8Array, start: number, end: number): number {
    const shops = this.shops;
    // A session's lines name its first line's shop: one compare (shops often differ in their last byte only).
    if (session !== LATE) {
      const first = this.store.shopOf(session); // a new slot's is its last session's: only a guess
      if (first < shops.size && shops.matches(first, b, start, end)) return first;
    }
    // Most files hold a few shops: compare with each rather than hash.
    if (shops.size <= 8) {
      if (this.lastShop >= 0 && shops.matches(this.lastShop, b, start, end)) return this.lastShop;
      for (let id = 0; id < shops.size; id++) {
        if (shops.matches(id, b, start, end)) {
          this.lastShop = id;
          return id;
        }
      }
    }
    return shops.intern(b, start, end);
  }

  internAgent(session: number, b: Uint8Array, start: number, end: number): number {
    // A session's lines mostly name the same agent as its previous line.
    const last = session !== LATE ? this.store.lastAgentOf(session) : -1;
    if (last >= 0 && this.agents.matches(last, b, start, end)) return last;
    return this.agents.intern(b, start, end);
  }

  needsCustomer(session: number): boolean {
    return session !== LATE && !this.store.hasCustomer(session);
  }

  internCustomer(session: number, shop: number, b: Uint8Array, start: number, end: number): number {
    this.store.open.setCustomer(session, b, start, end);
    return this.keeps.customerKeys ? this.customerKey(shop, b, start, end) : -1;
  }

  /** The customer's key: customers are ids within their shop. */
  private customerKey(shop: number, b: Uint8Array, start: number, end: number): number {
    const length = end - start + CUSTOMER_KEY_PREFIX;
    if (length > this.keyBytes.length) this.keyBytes = new Uint8Array(length * 2);
    const key = this.keyBytes;
    key[0] = shop & 0xff;
    key[1] = (shop >> 8) & 0xff;
    copyBytes(b, start, end, key, CUSTOMER_KEY_PREFIX);
    return this.customerKeys.intern(key, 0, length);
  }

  matchPhrase(shop: number, b: Uint8Array, start: number, end: number): number {
    if (!this.matcher.contains(b, start, end)) return 0;
    // A quoted CSV field still has its quotes doubled; the judge reads quotes.
    const text = this.utf8.decode(b.subarray(start, end)).replaceAll('""', '"');
    const hit = this.judge.judge(text, this.rules(shop).phraseRules);
    if (!hit) return 0;
    this.sentences.set(this.seq, hit.sentence); // the line's position, given by addMessage next
    return hit.rule + 1;
  }

  addMessage(
    _line: number,
    session: number,
    ts: number,
    kind: number,
    agent: number,
    toAgent: number,
    note: number,
    shop: number,
    customer: number,
  ): string | undefined {
    if (session === LATE) {
      this.sentences.delete(this.seq);
      return (
        `session ${this.store.lateName} comes back after its lines ended ` +
        `(no line of it for more than ${this.gap.toLocaleString("en-US")} lines); keep a session's lines closer together or raise the session gap`
      );
    }
    this.store.add(session, this.seq, ts, kind, agent, toAgent, note, shop, customer);
    if (this.pinning && this.store.isNew(session)) this.pinIfContinuing(session);
    if (ts > this.dataEnd) this.dataEnd = ts;
    if ((++this.seq & 0xffff) === 0) {
      if (this.onEarly && this.seq >= this.bounds.holdFirstLines) this.sendEarly();
      if (this.store.openSessions > this.peakOpen) this.peakOpen = this.store.openSessions;
      this.store.sweep(this.seq, this.onComplete, this.hold);
    }
    return undefined;
  }

  private pinIfContinuing(slot: number): void {
    const pinning = this.pinning!;
    if (this.seq >= pinning.before) this.pinning = null;
    else if (pinning.names.has(this.store.name(slot))) this.store.pin(slot);
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

  private readonly sink = {
    segment: (t: SegmentTally, s: SessionSummary) => {
      this.counts.segments++;
      const shop = this.store.shopOf(this.current);
      const rules = this.rules(shop);
      if (rules.profile.reconsultMergeMinutes)
        this.deferred.push(this.table.size, t); // the row the session will get
      else if (!applyTally(t, this.context(s, rules), this.targets)) this.counts.unattributedSegments++;
    },
    longWait: (s: SessionSummary, agent: number, endedBy: "reply" | "close" | "end") => {
      const slot = this.current;
      this.facts.longWait(
        this.currentName,
        this.store.open.customerOf(slot),
        this.store.shopOf(slot),
        agent,
        s.waitFrom,
        s.waitMs,
        endedBy,
      );
    },
    phrase: (_s: SessionSummary, agent: number, at: number, rule: number, line: number) => {
      const slot = this.current;
      this.facts.phrase(
        this.currentName,
        this.store.open.customerOf(slot),
        this.store.shopOf(slot),
        agent,
        at,
        rule,
        this.currentSentences.get(this.currentSeq[line]!) ?? "",
      );
    },
  };

  /** One context, refilled for each segment (applyTally keeps nothing of it): no object per segment. */
  private readonly segmentContext: TallyContext = {
    shop: 0,
    customer: -1,
    day: 0,
    leave: false,
    excluded30s: false,
    excludedArt: false,
    leaveReplyRateOnly: false,
    continuation: false,
  };

  private context(s: SessionSummary, rules: ShopRules): TallyContext {
    const c = this.segmentContext;
    c.shop = this.store.shopOf(this.current);
    c.customer = this.store.customerOf(this.current);
    c.day = s.day;
    c.leave = s.leave;
    c.excluded30s = s.excluded30s;
    c.excludedArt = s.excludedArt;
    c.leaveReplyRateOnly = rules.profile.leaveMessageSessions === "reply-rate-only";
    return c;
  }

  /** Walks one complete session; returns its consultation row, or -1. */
  completeSession(lines: SessionLines): number {
    this.currentName = this.store.open.nameOf(lines.session, this.currentName);
    return this.walk(lines);
  }

  private walk(lines: SessionLines, sentences = this.sentences): number {
    this.current = lines.session;
    this.currentSentences = sentences;
    this.currentSeq = lines.seq;
    const rules = this.rules(lines.shop);
    walkSession(lines, rules.walk, rules.local, this.tally, this.summary, this.sink);
    if (sentences.size > 0) {
      for (let i = 0; i < lines.count; i++) if (lines.note[i]! > 0) sentences.delete(lines.seq[i]!);
    }
    const s = this.summary;
    if (!s.consultation) return -1;
    this.counts.consultations++;
    const row = this.keeps.table
      ? this.table.record(lines.shop, lines.customer, s, rules.profile.reconsultMergeMinutes !== undefined)
      : -1;
    if (s.leave && s.lastAgent >= 0) {
      const day = this.days.row(lines.shop, s.lastAgent, s.day);
      this.days.add(day, SLOT.leaveSessions, 1);
      if (s.leaveAnswered) this.days.add(day, SLOT.leaveAnswered, 1);
    }
    return row;
  }

  private exportSession(lines: SessionLines): void {
    const customer = this.store.open.customer(lines.session);
    this.boundary.add(
      this.store.name(lines.session),
      this.shops.name(lines.shop),
      customer,
      lines,
      this.bounds.seqBase,
      this.sentences,
    );
    if (lines.ts[lines.count - 1]! > this.dataEnd) this.dataEnd = lines.ts[lines.count - 1]!;
  }

  /**
   * Asks to be told, once, which sessions this part saw first in its first lines: the part before
   * sets aside only those of its open sessions at its end, and completes the others itself.
   */
  reportEarlyTo(onEarly: (names: string[]) => void): void {
    if (this.bounds.holdFirstLines > 0) this.onEarly = onEarly;
  }

  /** Sends the early sessions now if not yet sent (at the end of a part shorter than the hold). */
  sendEarly(): void {
    const onEarly = this.onEarly;
    if (!onEarly) return;
    this.onEarly = null;
    // Sessions first seen before the hold line are all still open: none completes while held.
    onEarly(this.store.openNamesFirstSeenBefore(this.bounds.holdFirstLines));
  }

  /**
   * The sessions open at the end of the messages that continue into the next part, by name: the
   * next part sets their first lines aside for joining. `laterEarly`, the next part's early
   * sessions, narrows them to those the next part has seen; without it all open ones go.
   */
  openAtEnd(laterEarly?: ReadonlySet<string>): string[] {
    if (!this.bounds.exportOpenAtEnd) return [];
    this.laterEarly = laterEarly ?? null;
    const names = this.store.openNames();
    return laterEarly ? names.filter((name) => laterEarly.has(name)) : names;
  }

  /**
   * Walks a session whose lines were read in several parts, joined and in time order. Agent ids
   * in `lines` must be this part's.
   */
  walkJoined(raw: JoinedSession, agent: Int32Array, toAgent: Int32Array): void {
    const name = new TextEncoder().encode(raw.name);
    const shop = this.shops.internString(raw.shop);
    const slot = this.store.slotFor(name, 0, name.length);
    let customer = -1;
    if (raw.customer !== null) {
      const id = new TextEncoder().encode(raw.customer);
      customer = this.internCustomer(slot, shop, id, 0, id.length);
    }
    this.store.setShopAndCustomer(slot, shop, customer);
    const end = raw.ts[raw.count - 1]!;
    if (end > this.dataEnd) this.dataEnd = end;
    this.currentName = [name, 0, name.length];
    this.walk(
      {
        session: slot,
        shop,
        customer,
        count: raw.count,
        ts: raw.ts,
        seq: raw.seq,
        kind: raw.kind,
        agent,
        toAgent,
        note: raw.note,
      },
      raw.sentences,
    );
    this.store.drain(() => -1); // the slot was only a name holder
  }

  /**
   * Ends the messages: completes the sessions, but sets aside those that continue in a
   * neighbouring part: the open ones the next part saw early (all open ones if openAtEnd was not
   * told which), and those of the previous part's open ones (`continuing`, by name) that this
   * part saw first in its first lines.
   */
  endMessages(continuing?: ReadonlySet<string>): void {
    if (continuing) this.continueFrom(continuing);
    if (this.store.openSessions > this.peakOpen) this.peakOpen = this.store.openSessions;
    const exportOpen = this.bounds.exportOpenAtEnd;
    const later = this.laterEarly;
    this.store.drain(this.onComplete, this.onExport, (slot) => {
      if (this.store.isPinned(slot)) return true;
      if (!exportOpen) return false;
      if (!later) return true;
      const name = this.store.name(slot);
      if (later.has(name)) return true;
      this.boundary.completedAtEnd.push(name);
      return false;
    });
  }

  /**
   * The previous part's sessions open at its end, by name, as soon as they are known (while this
   * part may still be reading): those this part saw first in its first lines are pinned for
   * joining; the rest of its early sessions need no longer wait.
   */
  continueFrom(continuing: ReadonlySet<string>): void {
    if (this.hold === 0) return;
    this.store.pinWhere(this.hold, (slot) => continuing.has(this.store.name(slot)));
    // Lines of those sessions may still come, up to the first `hold` lines of this part.
    if (continuing.size > 0 && this.seq < this.hold) this.pinning = { names: continuing, before: this.hold };
    this.hold = 0;
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
    return {
      problems: this.problems,
      problemCount: this.problemCount,
      goodLines: this.seq,
      dataEnd: this.dataEnd,
      peakOpen: this.peakOpen,
      ...this.counts,
      shops: this.shops.dump(),
      agents: this.agents.dump(),
      customerKeys: this.customerKeys.dump(),
      done: this.store.done.dump(),
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
