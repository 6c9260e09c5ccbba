import { dayKey } from "../period.ts";
import { AgentDays, SLOT, SLOTS } from "./agent-days.ts";
import { ByteInterner, NameList } from "./bytes.ts";
import { ConcurrencyIntervals } from "./concurrency.ts";
import { type ChatFact, formatLocal, SessionFacts } from "./facts.ts";
import { applyRatings, applyReviews } from "./feedback.ts";
import { MAX_PROBLEMS, type PartState } from "./log-part.ts";
import { DEFAULT_FORBIDDEN_PHRASES } from "./profiles.ts";
import { type AgentDayFigures, type ChatlogResult, type LineProblem, rowValues } from "./result.ts";
import type { ChatlogOptions, RuleBook } from "./rules.ts";
import { attributeOrders, Consultations, type Order } from "./sales.ts";
import { SessionTable } from "./session-table.ts";
import { newTally } from "./session-walk.ts";
import type { OrderRecord, Rating, Review } from "./side-records.ts";
import { applyTally, CUSTOMER_KEY_SCALE, DeferredTallies, type TallyTargets } from "./tallies.ts";

/**
 * Puts the parts of a read together — one part for a file read on one core, several for a file
 * split across cores — and applies the rules that span sessions: JD's re-consultation, 72-hour
 * resolution, peak concurrency, conversion and sales, ratings and reviews.
 */

export interface SideRecords {
  orders?: readonly OrderRecord[];
  ratings?: readonly Rating[];
  reviews?: readonly Review[];
  problems: readonly LineProblem[];
  problemCount: number;
}

interface Part {
  state: PartState;
  sessionBase: number;
  sessions: ByteInterner;
  sessionNames: NameList;
  shopNames: NameList;
  agentNames: NameList;
  customerNames: NameList;
}

export class Combined {
  private readonly shops = new ByteInterner();
  private readonly agents = new ByteInterner();
  private readonly customers = new ByteInterner();
  private readonly customerKeys = new Map<number, number>();
  private readonly keyShop: number[] = [];
  private readonly keyCustomer: number[] = [];
  private readonly days = new AgentDays();
  private readonly table = new SessionTable();
  private readonly consultations = new Consultations();
  private readonly intervals = new ConcurrencyIntervals();
  private readonly effective = new Map<number, boolean>();
  private readonly deferred = new DeferredTallies();
  private readonly parts: Part[] = [];
  private readonly problems: LineProblem[] = [];
  private problemCount = 0;
  private sessionCount = 0;
  private dataEnd = Number.NEGATIVE_INFINITY;
  private counts = {
    lines: 0,
    consultations: 0,
    segments: 0,
    unattributedSegments: 0,
    unattributedReviews: 0,
    peakOpen: 0,
  };
  private readonly phrases: readonly string[];

  constructor(
    private readonly options: ChatlogOptions,
    private readonly rulebook: RuleBook,
  ) {
    this.phrases = options.forbiddenPhrases ?? DEFAULT_FORBIDDEN_PHRASES;
  }

  /** Adds a part; `lineOffset` is the number of file lines before it (for its problems). */
  add(state: PartState, lineOffset: number): void {
    const shopMap = Int32Array.from({ length: state.shops.size }, (_, id) =>
      this.shops.internFrom(state.shops, id),
    );
    const agentMap = Int32Array.from({ length: state.agents.size }, (_, id) =>
      this.agents.internFrom(state.agents, id),
    );
    const customerMap = Int32Array.from({ length: state.customers.size }, (_, id) =>
      this.customers.internFrom(state.customers, id),
    );
    const keyMap = Int32Array.from(state.keyShop, (shop, k) =>
      this.customerKey(shopMap[shop]!, customerMap[state.keyCustomer[k]!]!),
    );
    const d = state.days;
    const rowMap = new Int32Array(d.size);
    for (let r = 0; r < d.size; r++) {
      const row = this.days.row(shopMap[d.shops[r]!]!, agentMap[d.agents[r]!]!, d.days[r]!);
      rowMap[r] = row;
      for (let slot = 0; slot < SLOTS; slot++) {
        const v = d.values[r * SLOTS + slot]!;
        if (v !== 0) this.days.add(row, slot, v);
      }
    }
    const base = this.sessionCount;
    this.sessionCount += state.sessions.size;
    this.table.append(state.table, base, {
      shop: (id) => shopMap[id]!,
      customerKey: (id) => keyMap[id]!,
      agent: (id) => agentMap[id]!,
    });
    const c = state.consultationRows;
    for (let i = 0; i < c.size; i++)
      this.consultations.add(keyMap[c.customerKey[i]!]!, rowMap[c.row[i]!]!, c.at[i]!);
    const iv = state.intervals;
    for (let i = 0; i < iv.size; i++) this.intervals.add(rowMap[iv.row[i]!]!, iv.from[i]!, iv.to[i]!);
    state.effectiveKeys.forEach((key, i) => {
      const row = rowMap[Math.floor(key / CUSTOMER_KEY_SCALE)]!;
      const global = row * CUSTOMER_KEY_SCALE + keyMap[key % CUSTOMER_KEY_SCALE]!;
      this.effective.set(global, (this.effective.get(global) ?? true) && state.effectiveValid[i] === 1);
    });
    this.deferred.append(state.deferred, base, (id) => agentMap[id]!);
    for (const p of state.problems) {
      if (this.problems.length < MAX_PROBLEMS) this.problems.push({ ...p, line: p.line + lineOffset });
    }
    this.problemCount += state.problemCount;
    this.counts.lines += state.goodLines;
    this.counts.consultations += state.consultations;
    this.counts.segments += state.segments;
    this.counts.unattributedSegments += state.unattributedSegments;
    this.counts.peakOpen += state.peakOpen;
    if (state.dataEnd > this.dataEnd) this.dataEnd = state.dataEnd;
    this.parts.push({
      state,
      sessionBase: base,
      sessions: ByteInterner.restore(state.sessions),
      sessionNames: new NameList(state.sessions),
      shopNames: new NameList(state.shops),
      agentNames: new NameList(state.agents),
      customerNames: new NameList(state.customers),
    });
  }

  private customerKey(shop: number, customer: number): number {
    const composite = shop * CUSTOMER_KEY_SCALE + customer;
    let key = this.customerKeys.get(composite);
    if (key === undefined) {
      key = this.keyShop.length;
      this.customerKeys.set(composite, key);
      this.keyShop.push(shop);
      this.keyCustomer.push(customer);
    }
    return key;
  }

  private local(shop: number): (ms: number) => number {
    return this.rulebook.forShop(this.shops.name(shop)).local;
  }

  finish(sides: SideRecords): ChatlogResult {
    const table = this.table;
    const timeline = table.timeline(this.keyShop.length);
    const roots = this.deferred.size > 0 ? table.roots(timeline, 10) : null;
    if (roots) this.applyDeferred(roots);
    table.resolve(
      timeline,
      roots,
      (shop) => this.rulebook.forShop(this.shops.name(shop)).profile.resolutionHours,
      this.dataEnd,
      this.days,
    );
    for (const [key, valid] of this.effective) {
      const row = Math.floor(key / CUSTOMER_KEY_SCALE);
      this.days.add(row, SLOT.customersInWindow, 1);
      if (valid) this.days.add(row, SLOT.effectiveCustomers, 1);
    }
    this.intervals.sweep(this.days);
    // Orders and reviews may name customers the messages never did: intern them before grouping.
    const orders: Order[] = (sides.orders ?? []).map((o) => {
      const shop = this.shops.internString(o.shop);
      return {
        id: o.id,
        shop,
        customerKey: this.customerKey(shop, this.customers.internString(o.customer)),
        paidAt: o.paidAt,
        amount: o.amount,
        line: o.line,
      };
    });
    this.consultations.group(this.keyShop.length);
    const windowDays = this.options.windowDays ?? 2;
    if (sides.orders)
      attributeOrders(orders, this.consultations, this.days, windowDays, (shop, at) =>
        Math.floor(this.local(shop)(at) / 86_400_000),
      );
    const facts = this.namedFacts();
    const feedback = this.feedback(facts);
    if (sides.ratings) applyRatings(sides.ratings, feedback);
    if (sides.reviews) applyReviews(sides.reviews, orders, feedback);
    for (const p of sides.problems) if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
    this.problemCount += sides.problemCount;
    facts.sort((a, b) =>
      a.at < b.at ? -1 : a.at > b.at ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0,
    );
    return this.result(facts, {
      orders: sides.orders !== undefined,
      ratings: sides.ratings !== undefined,
      reviews: sides.reviews !== undefined,
    });
  }

  private applyDeferred(roots: Int32Array): void {
    const table = this.table;
    const targets: TallyTargets = {
      days: this.days,
      effective: this.effective,
      consultation: (key, row, at) => this.consultations.add(key, row, at),
      interval: (row, from, to) => this.intervals.add(row, from, to),
    };
    this.deferred.forEach(newTally(), (session, t) => {
      const root = roots[session]!;
      const rules = this.rulebook.forShop(this.shops.name(table.shop[session]!));
      const context = {
        shop: table.shop[session]!,
        customer: table.customerKey[session]!,
        day: table.day[root]!,
        leave: table.leave[session] === 1,
        excluded30s: table.excluded30s[root] === 1,
        excludedArt: table.excludedArt[root] === 1,
        leaveReplyRateOnly: rules.profile.leaveMessageSessions === "reply-rate-only",
        continuation: root !== session && t.index === 0,
      };
      if (!applyTally(t, context, targets)) this.counts.unattributedSegments++;
    });
  }

  private namedFacts(): ChatFact[] {
    const facts: ChatFact[] = [];
    for (const part of this.parts) {
      const s = part.state;
      const named = SessionFacts.from(s.facts).named({
        session: (id) => part.sessionNames.name(id),
        shopOf: (session) => s.sessionShop[session]!,
        shop: (id) => part.shopNames.name(id),
        customerOf: (session) =>
          s.sessionCustomer[session]! >= 0 ? part.customerNames.name(s.sessionCustomer[session]!) : null,
        agent: (id) => (id >= 0 ? part.agentNames.name(id) : null),
        local: (shop) => this.rulebook.forShop(part.shopNames.name(shop)).local,
        phrase: (index) => this.phrases[index]!,
        dataEnd: this.dataEnd,
      });
      for (const f of named) facts.push(f);
    }
    return facts;
  }

  private feedback(facts: ChatFact[]) {
    const encoder = new TextEncoder();
    return {
      days: this.days,
      table: this.table,
      consultations: this.consultations,
      facts,
      session: (name: string) => {
        const bytes = encoder.encode(name);
        for (const part of this.parts) {
          const id = part.sessions.find(bytes, 0, bytes.length);
          if (id >= 0 && this.table.has(part.sessionBase + id)) return part.sessionBase + id;
        }
        return -1;
      },
      agent: (name: string) => this.agents.internString(name),
      local: (shop: number) => this.local(shop),
      defaultShop: this.shops.internString(""),
      shopName: (shop: number) => this.shops.name(shop),
      agentName: (agent: number) => this.agents.name(agent),
      customerKeys: (customer: string) => {
        const bytes = encoder.encode(customer);
        const id = this.customers.find(bytes, 0, bytes.length);
        if (id < 0) return [];
        const keys: number[] = [];
        for (let shop = 0; shop < this.shops.size; shop++) {
          const key = this.customerKeys.get(shop * CUSTOMER_KEY_SCALE + id);
          if (key !== undefined) keys.push(key);
        }
        return keys;
      },
      unattributedReview: () => {
        this.counts.unattributedReviews++;
      },
      problem: (file: string, line: number, reason: string) => {
        this.problemCount++;
        if (this.problems.length < MAX_PROBLEMS) this.problems.push({ file, line, reason });
      },
    };
  }

  private result(
    facts: ChatFact[],
    sides: { orders: boolean; ratings: boolean; reviews: boolean },
  ): ChatlogResult {
    const days = this.days;
    const agentDays: AgentDayFigures[] = [];
    for (let row = 0; row < days.size; row++) {
      const values = rowValues(days, row, sides);
      if (Object.keys(values).length === 0) continue;
      agentDays.push({
        shop: this.shops.name(days.shops[row]!),
        agent: this.agents.name(days.agents[row]!),
        day: dayKey(days.days[row]!),
        values,
        provisional: days.get(row, SLOT.provisional) > 0 ? ["resolution_rate"] : [],
      });
    }
    const order = (a: AgentDayFigures, b: AgentDayFigures) =>
      compare(a.shop, b.shop) || compare(a.agent, b.agent) || compare(a.day, b.day);
    agentDays.sort(order);
    this.problems.sort((a, b) => compare(a.file, b.file) || a.line - b.line);
    const end = Number.isFinite(this.dataEnd)
      ? formatLocal(this.dataEnd, this.rulebook.defaultLocal())
      : null;
    const { peakOpen, lines, ...counts } = this.counts;
    return {
      agentDays,
      facts,
      problems: this.problems,
      problemCount: this.problemCount,
      stats: { lines, ...counts, peakOpenSessions: peakOpen, dataEnd: end },
    };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
