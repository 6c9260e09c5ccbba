/**
 * The generator's timeline: hour by hour it plans how many sessions start (the daily curve, the
 * Double 11 peaks, steered so the message count lands on the target), runs them in start order
 * together with customers coming back, and derives orders, ratings and reviews from them.
 */
import {
  DAY_MS,
  dayFactor,
  HOUR_MS,
  hourWeights,
  localDate,
  MINUTE_MS,
  SECOND_MS,
} from "./generate-calendar.ts";
import { type SessionInfo, SessionLines } from "./generate-lines.ts";
import type { ChatlogOutput } from "./generate-output.ts";
import { customerId, type Shop, SILENT_CUSTOMER_BASE } from "./generate-people.ts";
import { Random, WeightedChoice } from "./generate-random.ts";
import { SalesAndFeedback } from "./generate-sales.ts";
import { generateSession, isLeaveMessageSession, type SessionOutcome } from "./generate-session.ts";

export interface TimelineOptions {
  /** Stop once this many message lines are generated (the last session is completed). */
  readonly messages: number;
  readonly days: number;
  /** Epoch ms of local midnight of the first day. */
  readonly origin: number;
  readonly seed: number;
  readonly shops: readonly Shop[];
}

export interface Counts {
  messages: number;
  sessions: number;
  customers: number;
  orders: number;
  ratings: number;
  reviews: number;
}

type SessionCounts = Pick<Counts, "messages" | "sessions" | "customers">;

/** Until enough sessions are seen to measure it. */
const INITIAL_LINES_PER_SESSION = 12;

const SHARE = {
  oldCustomer: 0.12, // a fresh session by a customer seen before (any time earlier)
  comeBack: 0.18, // the customer starts another session within 72 h
  reconsultAfterClose: 0.3, // … of those, within 10 minutes of the close
  silentOrder: 0.05, // per fresh session: someone else buys without asking
};

interface PlannedSession {
  readonly start: number;
  readonly shop: Shop;
  /** The customer coming back; undefined for a fresh session. */
  readonly customer: number | undefined;
  /** Tie-breaker so equal starts run in the order they were planned. */
  readonly serial: number;
}

interface ShopState {
  customers: number; // customers who chatted so far (indexes 0 … customers − 1)
  silentCustomers: number;
  day: string; // local day of the latest session id
  daySessions: number;
}

export class Timeline {
  private readonly random: Random;
  private readonly weights: Float64Array;
  /** Σ weights from each hour to the end. */
  private readonly weightsAhead: Float64Array;
  private readonly dayFactors: number[];
  private readonly shopChoice: WeightedChoice<Shop>;
  private readonly shopStates = new Map<Shop, ShopState>();
  private readonly planned = new StartHeap();
  private readonly returnsByHour = new Map<number, number>();
  private readonly sales: SalesAndFeedback;
  /** The current session's lines (one set of columns, reused). */
  private readonly lines = new SessionLines();
  private readonly counts: SessionCounts = { messages: 0, sessions: 0, customers: 0 };
  private carry = 0;
  /** The hour whose sessions are running. */
  private currentHour = -1;
  /** Fresh sessions planned, and customers coming back within the hour they left (not planned for). */
  private freshPlanned = 0;
  private sameHourReturns = 0;
  private plannedSerial = 0;
  private lastStart: number;

  constructor(
    private readonly options: TimelineOptions,
    private readonly output: ChatlogOutput,
  ) {
    this.random = new Random(options.seed);
    this.weights = hourWeights(options.origin, options.days);
    this.weightsAhead = new Float64Array(this.weights.length + 1);
    for (let hour = this.weights.length - 1; hour >= 0; hour--)
      this.weightsAhead[hour] = this.weightsAhead[hour + 1]! + this.weights[hour]!;
    this.dayFactors = Array.from({ length: options.days }, (_, day) =>
      dayFactor(options.origin + day * DAY_MS),
    );
    this.shopChoice = new WeightedChoice(options.shops.map((shop) => [shop, shop.weight]));
    for (const shop of options.shops)
      this.shopStates.set(shop, { customers: 0, silentCustomers: 0, day: "", daySessions: 0 });
    this.sales = new SalesAndFeedback(this.random, output, options.origin + options.days * DAY_MS);
    this.lastStart = options.origin;
  }

  async run(): Promise<Counts> {
    const hours = this.weights.length;
    for (let hour = 0; hour < hours && !this.reachedTarget(); hour++) {
      const hourEnd = this.options.origin + (hour + 1) * HOUR_MS;
      this.planFreshSessions(hour);
      this.currentHour = hour;
      await this.runSessionsBefore(hourEnd);
      if (hour === hours - 1) await this.topUp(hourEnd);
      await this.output.flushThrough(hour);
      await this.output.drain();
    }
    for (const state of this.shopStates.values()) this.counts.customers += state.customers;
    return { ...this.counts, ...this.sales.counts };
  }

  private reachedTarget(): boolean {
    return this.counts.messages >= this.options.messages;
  }

  /**
   * Fresh sessions starting in `hour`: the hour's share of the sessions still needed for the
   * target (at the average lines per session so far), less the customers already coming back
   * then, and less the share that will come back within the hour itself (as seen so far), so
   * the volume does not drift from the curve towards the end.
   */
  private planFreshSessions(hour: number): void {
    const { messages, sessions } = this.counts;
    const linesPerSession = sessions >= 100 ? messages / sessions : INITIAL_LINES_PER_SESSION;
    const needed = Math.max(0, this.options.messages - messages) / linesPerSession;
    const share = this.weights[hour]! / this.weightsAhead[hour]!;
    const returning = this.returnsByHour.get(hour) ?? 0;
    this.returnsByHour.delete(hour);
    const sameHourReturns = this.freshPlanned > 0 ? this.sameHourReturns / this.freshPlanned : 0;
    this.carry += Math.max(0, needed * share - returning) / (1 + sameHourReturns);
    const fresh = Math.floor(this.carry);
    this.carry -= fresh;
    this.freshPlanned += fresh;
    const hourStart = this.options.origin + hour * HOUR_MS;
    for (let i = 0; i < fresh; i++) this.plan(hourStart + Math.floor(this.random.next() * HOUR_MS));
  }

  /** After the last hour, more sessions late in it until the target is reached. */
  private async topUp(hourEnd: number): Promise<void> {
    while (!this.reachedTarget()) {
      const missing = (this.options.messages - this.counts.messages) / INITIAL_LINES_PER_SESSION;
      // Not before the last session run (start order) nor before the hour (earlier ones are written).
      const from = Math.min(Math.max(this.lastStart, hourEnd - HOUR_MS), hourEnd - 1);
      for (let i = 0; i <= missing; i++) this.plan(Math.floor(this.random.between(from, hourEnd)));
      await this.runSessionsBefore(hourEnd);
    }
  }

  /** A fresh session (a customer not coming back) of a shop picked by weight. */
  private plan(start: number): void {
    const shop = this.shopChoice.pick(this.random);
    this.planned.push({ start, shop, customer: undefined, serial: this.plannedSerial++ });
  }

  private async runSessionsBefore(end: number): Promise<void> {
    while (!this.reachedTarget() && this.planned.size > 0 && this.planned.peek()!.start < end) {
      this.runSession(this.planned.pop()!);
      if (this.counts.sessions % 512 === 0) await this.output.drain();
    }
  }

  private runSession(plan: PlannedSession): void {
    const { shop, start } = plan;
    this.lastStart = start;
    const customerIndex = plan.customer ?? this.chooseCustomer(shop);
    const session: SessionInfo = {
      id: this.sessionId(shop, start),
      shop,
      customer: customerId(shop, customerIndex),
    };
    const dayLoad = this.dayFactors[Math.floor((start - this.options.origin) / DAY_MS)] ?? 1;
    const leaveMessage = isLeaveMessageSession(start, dayLoad, this.random);
    // Agents fall behind on the big days: 11-11 (5× the volume) answers ~1.6× slower.
    const context = { random: this.random, load: 1 + 0.15 * (dayLoad - 1) };
    const outcome = generateSession(context, session, start, leaveMessage, this.lines);
    this.output.addSession(this.lines);
    this.counts.messages += outcome.lineCount;
    this.counts.sessions++;
    this.sales.rate(session, outcome);
    this.sales.maybeOrder(session, outcome, dayLoad);
    this.maybeComeBack(shop, customerIndex, outcome);
    if (plan.customer === undefined && this.random.chance(SHARE.silentOrder)) this.silentOrder(shop, start);
  }

  /** Mostly a new customer, sometimes one seen before. */
  private chooseCustomer(shop: Shop): number {
    const state = this.shopStates.get(shop)!;
    if (state.customers > 0 && this.random.chance(SHARE.oldCustomer))
      return this.random.int(0, state.customers - 1);
    return state.customers++;
  }

  /** `S` + shop code + local date + the session's number that day in the shop: SA20261111000123. */
  private sessionId(shop: Shop, start: number): string {
    const state = this.shopStates.get(shop)!;
    const day = localDate(start).replaceAll("-", "");
    if (day !== state.day) {
      state.day = day;
      state.daySessions = 0;
    }
    return `S${shop.code}${day}${String(++state.daySessions).padStart(6, "0")}`;
  }

  /** Some customers start another session within 72 h, a few right after the close. */
  private maybeComeBack(shop: Shop, customer: number, outcome: SessionOutcome): void {
    if (!this.random.chance(SHARE.comeBack)) return;
    const start =
      outcome.closedAt !== undefined && this.random.chance(SHARE.reconsultAfterClose)
        ? outcome.closedAt + this.random.between(20 * SECOND_MS, 9.5 * MINUTE_MS)
        : outcome.end + 10 * MINUTE_MS + Math.min(this.random.exponential(10 * HOUR_MS), 71 * HOUR_MS);
    const hour = Math.floor((start - this.options.origin) / HOUR_MS);
    if (hour <= this.currentHour) this.sameHourReturns++;
    else this.returnsByHour.set(hour, (this.returnsByHour.get(hour) ?? 0) + 1);
    this.planned.push({ start: Math.floor(start), shop, customer, serial: this.plannedSerial++ });
  }

  /** An order by someone who never chatted (not attributable to any agent). */
  private silentOrder(shop: Shop, start: number): void {
    const state = this.shopStates.get(shop)!;
    const customer = customerId(shop, SILENT_CUSTOMER_BASE + state.silentCustomers++);
    this.sales.order(shop, customer, start + Math.floor(this.random.next() * HOUR_MS), "");
  }
}

/** Planned sessions, earliest start first (ties: first planned first). */
class StartHeap {
  private readonly items: PlannedSession[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): PlannedSession | undefined {
    return this.items[0];
  }

  push(item: PlannedSession): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): PlannedSession | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && before(items[left]!, items[smallest]!)) smallest = left;
      if (right < items.length && before(items[right]!, items[smallest]!)) smallest = right;
      if (smallest === i) break;
      [items[i], items[smallest]] = [items[smallest]!, items[i]!];
      i = smallest;
    }
    return top;
  }
}

function before(a: PlannedSession, b: PlannedSession): boolean {
  return a.start < b.start || (a.start === b.start && a.serial < b.serial);
}
