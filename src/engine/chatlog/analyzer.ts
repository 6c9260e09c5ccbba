import { InvalidInput } from "../errors.ts";
import { DEFAULT_TIME_ZONE, dayKey, localTimeIn } from "../period.ts";
import { AgentDays, SLOT } from "./agent-days.ts";
import { ByteInterner, PhraseMatcher } from "./bytes.ts";
import { ConcurrencyIntervals } from "./concurrency.ts";
import { type ChatFact, formatLocal, SessionFacts } from "./facts.ts";
import { applyRatings, applyReviews, type FeedbackContext } from "./feedback.ts";
import { MessageCsvReader, MessageJsonReader, type MessageSink } from "./message-reader.ts";
import { DEFAULT_FORBIDDEN_PHRASES, minuteWindow, PROFILES, type RuleProfile } from "./profiles.ts";
import { type ChatlogResult, type LineProblem, rowValues } from "./result.ts";
import { attributeOrders, Consultations, type Order } from "./sales.ts";
import { type SessionLines, SessionStore } from "./session-store.ts";
import { SessionTable } from "./session-table.ts";
import {
  newSummary,
  newTally,
  type SegmentTally,
  type SessionSummary,
  type WalkRules,
  walkSession,
} from "./session-walk.ts";
import {
  ORDER_COLUMNS,
  RATING_COLUMNS,
  type Rating,
  REVIEW_COLUMNS,
  type Review,
  readOrder,
  readRating,
  readReview,
} from "./side-records.ts";
import { TableCsvReader, TableJsonReader, type TableRow } from "./table-reader.ts";
import { applyTally, DeferredTallies, type TallyContext, type TallyTargets } from "./tallies.ts";

export interface ChatlogOptions {
  /** Shop-local time zone (default Asia/Shanghai), and per shop. */
  timeZone?: string;
  shopTimeZones?: Readonly<Record<string, string>>;
  /** Rule profile (generic, jd, taobao, pdd), and per shop. */
  profile?: string;
  shopProfiles?: Readonly<Record<string, string>>;
  /** Attribution window W in days (default 2). */
  windowDays?: number;
  forbiddenPhrases?: readonly string[];
  /** A session is complete once none of its lines has come for this many lines (default 1,000,000). */
  sessionGap?: number;
  countAutoReplies?: boolean;
}

interface ShopRules {
  profile: RuleProfile;
  walk: WalkRules;
  local: (ms: number) => number;
}

const MAX_PROBLEMS = 1000;

/**
 * Reads chat logs (and orders, ratings, reviews) and computes per-agent, per-day figures by the
 * definitions of docs/chatlog.md. Feed the messages first, then the other files, then `finish`.
 */
export class ChatlogAnalyzer implements MessageSink {
  private readonly shops = new ByteInterner();
  private readonly agents = new ByteInterner();
  private readonly customers = new ByteInterner();
  private readonly customerKeys = new Map<number, number>();
  private readonly keyShop: number[] = [];
  private readonly keyCustomer: number[] = [];
  private readonly store: SessionStore;
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
  private readonly sessionFacts = new SessionFacts();
  private readonly problems: LineProblem[] = [];
  private problemCount = 0;
  private readonly orders: Order[] = [];
  private readonly ratings: Rating[] = [];
  private readonly reviews: Review[] = [];
  private readonly sides = { orders: false, ratings: false, reviews: false };
  private seq = 0;
  private dataEnd = Number.NEGATIVE_INFINITY;
  private peakOpen = 0;
  private stats = { consultations: 0, segments: 0, unattributedSegments: 0, unattributedReviews: 0 };
  private current = 0;
  private readonly windowDays: number;
  private readonly gap: number;
  private readonly onComplete = (lines: SessionLines) => this.completeSession(lines);

  constructor(private readonly options: ChatlogOptions = {}) {
    for (const name of [options.profile ?? "generic", ...Object.values(options.shopProfiles ?? {})]) {
      if (!PROFILES[name])
        throw new InvalidInput(
          "profile",
          `"${name}" is not a rule profile (${Object.keys(PROFILES).join(", ")})`,
        );
    }
    for (const tz of [options.timeZone ?? DEFAULT_TIME_ZONE, ...Object.values(options.shopTimeZones ?? {})]) {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
      } catch {
        throw new InvalidInput("timeZone", `"${tz}" is not a time zone (e.g. Asia/Shanghai)`);
      }
    }
    this.windowDays = options.windowDays ?? 2;
    if (!Number.isInteger(this.windowDays) || this.windowDays < 1) {
      throw new InvalidInput(
        "window",
        `the attribution window is a whole number of days, at least 1, not ${options.windowDays}`,
      );
    }
    this.gap = options.sessionGap ?? 1_000_000;
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

  ordersReader(file: string, format: "csv" | "jsonl"): TableCsvReader | TableJsonReader {
    this.sides.orders = true;
    const seen = new Map<string, number>();
    return this.sideReader(file, format, ORDER_COLUMNS, (row, line) => {
      const order = readOrder(row, line, this.names);
      if (typeof order === "string") return this.problem(file, line, order);
      const first = seen.get(order.id);
      if (first !== undefined)
        return this.problem(file, line, `order ${order.id} appears twice (first on line ${first})`);
      seen.set(order.id, line);
      this.orders.push(order);
    });
  }

  ratingsReader(file: string, format: "csv" | "jsonl"): TableCsvReader | TableJsonReader {
    this.sides.ratings = true;
    return this.sideReader(file, format, RATING_COLUMNS, (row, line) => {
      const rating = readRating(row, file, line, this.names);
      if (typeof rating === "string") this.problem(file, line, rating);
      else this.ratings.push(rating);
    });
  }

  reviewsReader(file: string, format: "csv" | "jsonl"): TableCsvReader | TableJsonReader {
    this.sides.reviews = true;
    return this.sideReader(file, format, REVIEW_COLUMNS, (row, line) => {
      const review = readReview(row, file, line, this.names);
      if (typeof review === "string") this.problem(file, line, review);
      else this.reviews.push(review);
    });
  }

  private sideReader(
    file: string,
    format: "csv" | "jsonl",
    columns: readonly string[],
    onRow: (row: TableRow, line: number) => void,
  ) {
    const onProblem = (line: number, reason: string) => this.problem(file, line, reason);
    return format === "csv"
      ? new TableCsvReader(columns, onRow, onProblem)
      : new TableJsonReader(columns, onRow, onProblem);
  }

  private readonly names = {
    shop: (name: string) => this.shops.internString(name),
    agent: (name: string) => this.agents.internString(name),
    customerKey: (shop: number, customer: string) =>
      this.customerKey(shop, this.customers.internString(customer)),
  };

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
      this.store.sweep(this.seq, this.onComplete);
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
      const name = this.shops.name(shop);
      const profile = PROFILES[this.options.shopProfiles?.[name] ?? this.options.profile ?? "generic"]!;
      const exclusion = (metric: string) => {
        const w = profile.sessionExclusions.find((x) => x.metrics.includes(metric));
        return w ? minuteWindow(w) : null;
      };
      rules = {
        profile,
        local: localTimeIn(this.options.shopTimeZones?.[name] ?? this.options.timeZone ?? DEFAULT_TIME_ZONE),
        walk: {
          countAutoReplies: this.options.countAutoReplies ?? profile.countAutoReplies,
          longWaitMs: profile.longWaitSeconds * 1000,
          round: profile.roundResponse
            ? {
                window: minuteWindow(profile.roundResponse),
                withinMs: profile.roundResponse.withinSeconds * 1000,
              }
            : null,
          effective: profile.effectiveReply
            ? {
                window: minuteWindow(profile.effectiveReply),
                maxWaitMs: profile.effectiveReply.maxWaitSeconds * 1000,
              }
            : null,
          exclude30s: exclusion("response_30s_rate"),
          excludeArt: exclusion("avg_response_time"),
        },
      };
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
      this.stats.segments++;
      const rules = this.rules(this.store.shop[this.current]!);
      if (rules.profile.reconsultMergeMinutes) this.deferred.push(this.current, t);
      else if (!applyTally(t, this.context(this.current, s, rules, false), this.targets))
        this.stats.unattributedSegments++;
    },
    longWait: (
      s: SessionSummary,
      agent: number,
      runStart: number,
      wait: number,
      endedBy: "reply" | "close" | "end",
    ) => {
      void s;
      this.sessionFacts.longWait(this.current, agent, runStart, wait, endedBy);
    },
    phrase: (_s: SessionSummary, agent: number, at: number, phrase: number) => {
      this.sessionFacts.phrase(this.current, agent, at, phrase);
    },
  };

  private context(
    session: number,
    s: { day: number; leave: boolean; excluded30s: boolean; excludedArt: boolean },
    rules: ShopRules,
    continuation: boolean,
  ): TallyContext {
    const customer = this.store.customer[session]!;
    const shop = this.store.shop[session]!;
    return {
      shop,
      customer: customer >= 0 ? this.customerKey(shop, customer) : -1,
      day: s.day,
      leave: s.leave,
      excluded30s: s.excluded30s,
      excludedArt: s.excludedArt,
      leaveReplyRateOnly: rules.profile.leaveMessageSessions === "reply-rate-only",
      continuation,
    };
  }

  private completeSession(lines: SessionLines): void {
    this.current = lines.session;
    const rules = this.rules(lines.shop);
    walkSession(lines, rules.walk, rules.local, this.tally, this.summary, this.sink);
    const s = this.summary;
    if (!s.consultation) return;
    this.stats.consultations++;
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

  // --- the end -----------------------------------------------------------------------------

  finish(): ChatlogResult {
    if (this.store.openSessions > this.peakOpen) this.peakOpen = this.store.openSessions;
    this.store.completeAll(this.onComplete);
    const table = this.table;
    const timeline = table.timeline(this.keyShop.length);
    const merging = this.deferred.size > 0;
    const roots = merging ? table.roots(timeline, 10) : null;
    if (roots) this.applyDeferred(roots);
    table.resolve(
      timeline,
      roots,
      (shop) => this.rules(shop).profile.resolutionHours,
      this.dataEnd,
      this.days,
    );
    for (const [key, valid] of this.effective) {
      const row = Math.floor(key / 67_108_864);
      this.days.add(row, SLOT.customersInWindow, 1);
      if (valid) this.days.add(row, SLOT.effectiveCustomers, 1);
    }
    this.intervals.sweep(this.days);
    this.consultations.group(this.keyShop.length);
    if (this.sides.orders) {
      attributeOrders(this.orders, this.consultations, this.days, this.windowDays, (shop, at) =>
        Math.floor(this.rules(shop).local(at) / 86_400_000),
      );
    }
    const facts = this.finishFacts();
    const feedback = this.feedbackContext(facts);
    applyRatings(this.ratings, feedback);
    applyReviews(this.reviews, this.orders, feedback);
    return this.result(facts);
  }

  private applyDeferred(roots: Int32Array): void {
    const table = this.table;
    this.deferred.forEach(newTally(), (session, t) => {
      const root = roots[session]!;
      const rules = this.rules(table.shop[session]!);
      const s = {
        day: table.day[root]!,
        leave: table.leave[session] === 1,
        excluded30s: table.excluded30s[root] === 1,
        excludedArt: table.excludedArt[root] === 1,
      };
      if (!applyTally(t, this.context(session, s, rules, root !== session && t.index === 0), this.targets)) {
        this.stats.unattributedSegments++;
      }
    });
  }

  private finishFacts(): ChatFact[] {
    return this.sessionFacts.named({
      session: (id) => this.store.ids.name(id),
      shopOf: (session) => this.store.shop[session]!,
      shop: (id) => this.shops.name(id),
      customerOf: (session) =>
        this.store.customer[session]! >= 0 ? this.customers.name(this.store.customer[session]!) : null,
      agent: (id) => (id >= 0 ? this.agents.name(id) : null),
      local: (shop) => this.rules(shop).local,
      phrase: (index) => this.matcher.phrases[index]!,
      dataEnd: this.dataEnd,
    });
  }

  private feedbackContext(facts: ChatFact[]): FeedbackContext {
    const encoder = new TextEncoder();
    return {
      days: this.days,
      table: this.table,
      consultations: this.consultations,
      facts,
      session: (name) => {
        const bytes = encoder.encode(name);
        return this.store.ids.find(bytes, 0, bytes.length);
      },
      local: (shop) => this.rules(shop).local,
      defaultShop: this.shops.internString(""),
      shopName: (shop) => this.shops.name(shop),
      agentName: (agent) => this.agents.name(agent),
      customerKeys: (customer) => {
        const bytes = encoder.encode(customer);
        const id = this.customers.find(bytes, 0, bytes.length);
        if (id < 0) return [];
        const keys: number[] = [];
        for (let shop = 0; shop < this.shops.size; shop++) {
          const key = this.customerKeys.get(shop * 67_108_864 + id);
          if (key !== undefined) keys.push(key);
        }
        return keys;
      },
      unattributedReview: () => {
        this.stats.unattributedReviews++;
      },
      problem: (file, line, reason) => this.problem(file, line, reason),
    };
  }

  private result(facts: ChatFact[]): ChatlogResult {
    const days = this.days;
    const agentDays = [];
    for (let row = 0; row < days.size; row++) {
      const values = rowValues(days, row, this.sides);
      if (Object.keys(values).length === 0) continue;
      agentDays.push({
        shop: this.shops.name(days.shops[row]!),
        agent: this.agents.name(days.agents[row]!),
        day: dayKey(days.days[row]!),
        values,
        provisional: days.get(row, SLOT.provisional) > 0 ? ["resolution_rate"] : [],
      });
    }
    agentDays.sort((a, b) =>
      a.shop < b.shop
        ? -1
        : a.shop > b.shop
          ? 1
          : a.agent < b.agent
            ? -1
            : a.agent > b.agent
              ? 1
              : a.day < b.day
                ? -1
                : a.day > b.day
                  ? 1
                  : 0,
    );
    const local = localTimeIn(this.options.timeZone ?? DEFAULT_TIME_ZONE);
    const end = Number.isFinite(this.dataEnd) ? formatLocal(this.dataEnd, local) : null;
    return {
      agentDays,
      facts,
      problems: this.problems,
      problemCount: this.problemCount,
      stats: {
        lines: this.seq,
        sessions: this.store.ids.size,
        ...this.stats,
        peakOpenSessions: this.peakOpen,
        dataEnd: end,
      },
    };
  }
}
