import { dayKey } from "../period.ts";
import { AgentDays, SLOT, SLOTS } from "./agent-days.ts";
import { ByteInterner, copyBytes } from "./bytes.ts";
import { ConcurrencyIntervals } from "./concurrency.ts";
import { type ChatFact, formatLocal, SessionFacts } from "./facts.ts";
import { applyRatings, applyReviews } from "./feedback.ts";
import { CUSTOMER_KEY_PREFIX, MAX_PROBLEMS, type PartState } from "./log-part.ts";
import {
  type AgentDayFigures,
  type ChatlogResult,
  type Computed,
  type LineProblem,
  rowValues,
} from "./result.ts";
import { type ChatlogOptions, keepsOf, type RuleBook } from "./rules.ts";
import { attributeOrders, Consultations, type Order } from "./sales.ts";
import { DoneSessions } from "./session-index.ts";
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
  tableBase: number;
  done: DoneSessions;
  shopMap: Int32Array;
  agentMap: Int32Array;
  keyMap: Int32Array;
}

export class Combined {
  private shops = new ByteInterner();
  private agents = new ByteInterner();
  /** Customers within their shop, as in PartState.customerKeys. */
  private customerKeys = new ByteInterner();
  private days = new AgentDays();
  private table = new SessionTable();
  private consultations = new Consultations();
  private intervals = new ConcurrencyIntervals();
  private readonly effective = new Map<number, boolean>();
  private deferred = new DeferredTallies();
  private readonly parts: Part[] = [];
  private readonly problems: LineProblem[] = [];
  private problemCount = 0;
  private dataEnd = Number.NEGATIVE_INFINITY;
  private counts = {
    lines: 0,
    consultations: 0,
    segments: 0,
    unattributedSegments: 0,
    unattributedReviews: 0,
    peakOpen: 0,
  };
  private keyBytes = new Uint8Array(256);

  constructor(
    private readonly options: ChatlogOptions,
    private readonly rulebook: RuleBook,
  ) {}

  /** Adds a part; `lineOffset` is the number of file lines before it (for its problems). */
  add(state: PartState, lineOffset: number): void {
    const part = this.parts.length === 0 ? this.adopt(state) : this.append(state);
    state.effectiveKeys.forEach((key, i) => {
      const row = part.first
        ? Math.floor(key / CUSTOMER_KEY_SCALE)
        : part.rowMap[Math.floor(key / CUSTOMER_KEY_SCALE)]!;
      const customer = part.first ? key % CUSTOMER_KEY_SCALE : part.keyMap[key % CUSTOMER_KEY_SCALE]!;
      const global = row * CUSTOMER_KEY_SCALE + customer;
      this.effective.set(global, (this.effective.get(global) ?? true) && state.effectiveValid[i] === 1);
    });
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
      tableBase: part.tableBase,
      done: new DoneSessions(false, state.done),
      shopMap: part.shopMap,
      agentMap: part.agentMap,
      keyMap: part.keyMap,
    });
  }

  /** The first part's structures become the combined ones, without copying them. */
  private adopt(state: PartState) {
    this.shops = ByteInterner.restore(state.shops);
    this.agents = ByteInterner.restore(state.agents);
    this.customerKeys = ByteInterner.restore(state.customerKeys);
    this.days = AgentDays.fromDump(state.days);
    this.table = SessionTable.fromDump(state.table);
    this.consultations = Consultations.fromDump(state.consultationRows);
    this.intervals = ConcurrencyIntervals.fromDump(state.intervals);
    this.deferred = DeferredTallies.fromDump(state.deferred);
    const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
    return {
      first: true,
      tableBase: 0,
      rowMap: new Int32Array(0),
      shopMap: identity(state.shops.size),
      agentMap: identity(state.agents.size),
      keyMap: identity(state.customerKeys.size),
    };
  }

  /** A later part's rows, renamed into the combined ids and appended. */
  private append(state: PartState) {
    const shopMap = Int32Array.from({ length: state.shops.size }, (_, id) =>
      this.shops.internFrom(state.shops, id),
    );
    const agentMap = Int32Array.from({ length: state.agents.size }, (_, id) =>
      this.agents.internFrom(state.agents, id),
    );
    const keyMap = Int32Array.from({ length: state.customerKeys.size }, (_, id) =>
      this.renameCustomer(state, id, shopMap),
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
    const tableBase = this.table.size;
    this.table.append(state.table, tableBase, {
      shop: (id) => shopMap[id]!,
      customerKey: (id) => keyMap[id]!,
      agent: (id) => agentMap[id]!,
    });
    const c = state.consultationRows;
    for (let i = 0; i < c.size; i++)
      this.consultations.add(keyMap[c.customerKey[i]!]!, rowMap[c.row[i]!]!, c.at[i]!);
    const iv = state.intervals;
    for (let i = 0; i < iv.size; i++) this.intervals.add(rowMap[iv.row[i]!]!, iv.from[i]!, iv.to[i]!);
    this.deferred.append(state.deferred, tableBase, (id) => agentMap[id]!);
    return { first: false, tableBase, rowMap, shopMap, agentMap, keyMap };
  }

  /** A part's customer key as a combined one: the same customer id under the combined shop id. */
  private renameCustomer(state: PartState, id: number, shopMap: Int32Array): number {
    const k = state.customerKeys;
    const at = k.offsets[id]!;
    const length = k.lengths[id]!;
    const shop = shopMap[k.arena[at]! | (k.arena[at + 1]! << 8)]!;
    return this.customerKey(shop, k.arena, at + CUSTOMER_KEY_PREFIX, at + length);
  }

  private customerKey(shop: number, b: Uint8Array, start: number, end: number): number {
    const length = end - start + CUSTOMER_KEY_PREFIX;
    if (length > this.keyBytes.length) this.keyBytes = new Uint8Array(length * 2);
    this.keyBytes[0] = shop & 0xff;
    this.keyBytes[1] = (shop >> 8) & 0xff;
    copyBytes(b, start, end, this.keyBytes, CUSTOMER_KEY_PREFIX);
    return this.customerKeys.intern(this.keyBytes, 0, length);
  }

  private findCustomer(shop: number, customer: Uint8Array): number {
    const length = customer.length + CUSTOMER_KEY_PREFIX;
    if (length > this.keyBytes.length) this.keyBytes = new Uint8Array(length * 2);
    this.keyBytes[0] = shop & 0xff;
    this.keyBytes[1] = (shop >> 8) & 0xff;
    this.keyBytes.set(customer, CUSTOMER_KEY_PREFIX);
    return this.customerKeys.find(this.keyBytes, 0, length);
  }

  private local(shop: number): (ms: number) => number {
    return this.rulebook.forShop(this.shops.name(shop)).local;
  }

  finish(sides: SideRecords): ChatlogResult {
    const keeps = keepsOf(this.options);
    const table = this.table;
    const timeline = table.timeline(this.customerKeys.size);
    const roots = this.deferred.size > 0 ? table.roots(timeline, 10) : null;
    if (roots) this.applyDeferred(roots);
    if (keeps.resolution)
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
    if (keeps.concurrency) this.intervals.sweep(this.days);
    // Orders and reviews may name customers the messages never did: intern them before grouping.
    const encoder = new TextEncoder();
    const orders: Order[] = (sides.orders ?? []).map((o) => {
      const shop = this.shops.internString(o.shop);
      const customer = encoder.encode(o.customer);
      const customerKey = this.customerKey(shop, customer, 0, customer.length);
      return { id: o.id, shop, customerKey, paidAt: o.paidAt, amount: o.amount, line: o.line };
    });
    this.consultations.group(this.customerKeys.size);
    const windowDays = this.options.windowDays ?? 2;
    if (sides.orders && keeps.sales)
      attributeOrders(orders, this.consultations, this.days, windowDays, (shop, at) =>
        Math.floor(this.local(shop)(at) / 86_400_000),
      );
    // Facts of ratings and reviews are few; the ones found while reading are named only if asked for.
    const feedbackFacts: ChatFact[] = [];
    const feedback = this.feedback(feedbackFacts);
    if (sides.ratings && keeps.feedback) applyRatings(sides.ratings, feedback);
    if (sides.reviews && keeps.feedback) applyReviews(sides.reviews, orders, feedback);
    for (const p of sides.problems) if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
    this.problemCount += sides.problemCount;
    const facts = () => {
      const all = [...this.namedFacts(), ...feedbackFacts];
      return all.sort(
        (a, b) => compare(a.at, b.at) || compare(a.kind, b.kind) || compare(factKey(a), factKey(b)),
      );
    };
    return this.result(facts, {
      response: keeps.response,
      resolution: keeps.resolution,
      concurrency: keeps.concurrency,
      orders: sides.orders !== undefined && keeps.sales,
      ratings: sides.ratings !== undefined && keeps.feedback,
      reviews: sides.reviews !== undefined && keeps.feedback,
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
      const named = SessionFacts.named(part.state.facts, {
        shop: (id) => this.shops.name(part.shopMap[id]!),
        agent: (id) => (id >= 0 ? this.agents.name(part.agentMap[id]!) : null),
        local: (shop) => this.local(part.shopMap[shop]!),
        phrase: (index) => this.rulebook.phrases.rules[index]!,
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
          const row = part.done.rowOf(bytes);
          if (row >= 0) return part.tableBase + row;
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
        const keys: number[] = [];
        for (let shop = 0; shop < this.shops.size; shop++) {
          const key = this.findCustomer(shop, bytes);
          if (key >= 0) keys.push(key);
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

  private result(facts: () => ChatFact[], sides: Computed): ChatlogResult {
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
    let named: ChatFact[] | undefined;
    return {
      agentDays,
      // Naming hundreds of thousands of facts takes time and memory: done when first read.
      get facts() {
        named ??= facts();
        return named;
      },
      problems: this.problems,
      problemCount: this.problemCount,
      stats: { lines, ...counts, peakOpenSessions: peakOpen, dataEnd: end },
    };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders facts of the same time and kind the same way however the file was read. */
function factKey(f: ChatFact): string {
  return "session" in f ? `${f.session}\u0000${f.agent ?? ""}` : `${f.order}\u0000${f.agent ?? ""}`;
}
