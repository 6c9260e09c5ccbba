import { grow } from "./bytes.ts";

/**
 * Per (shop, agent, day) counters, as numerators and denominators in one Float64Array. Times are
 * summed in whole milliseconds, so every sum is an exact integer whatever the order of addition.
 */
export const SLOT = {
  frtMs: 0,
  frtCount: 1,
  within30: 2,
  within30Of: 3,
  artMs: 4,
  artCount: 5,
  answered: 6,
  counted: 7,
  replies: 8,
  customerMessages: 9,
  longWaits: 10,
  segments: 11,
  transfersOut: 12,
  leaveSessions: 13,
  leaveAnswered: 14,
  roundsInTime: 15,
  rounds: 16,
  effectiveCustomers: 17,
  customersInWindow: 18,
  scriptClean: 19,
  scriptChecked: 20,
  resolved: 21,
  resolvable: 22,
  provisional: 23,
  converted: 24,
  consultingCustomers: 25,
  sales: 26,
  ratings: 27,
  satisfied: 28,
  scoreSum: 29,
  reviews: 30,
  badReviews: 31,
  peakConcurrent: 32,
} as const;
export const SLOTS = 33;

export interface AgentDaysDump {
  shops: Int32Array<ArrayBuffer>;
  agents: Int32Array<ArrayBuffer>;
  days: Int32Array<ArrayBuffer>;
  values: Float64Array<ArrayBuffer>;
  size: number;
}

export class AgentDays {
  private readonly index = new Map<number, number>();
  shops = new Int32Array(256);
  agents = new Int32Array(256);
  days = new Int32Array(256);
  values = new Float64Array(256 * SLOTS);
  size = 0;

  /** The row of (shop, agent, day), created on first use. Ids are the analyzer's interned ids. */
  row(shop: number, agent: number, day: number): number {
    const key = AgentDays.key(shop, agent, day);
    let row = this.index.get(key);
    if (row === undefined) {
      row = this.size++;
      if (row >= this.shops.length) {
        this.shops = grow(this.shops, row + 1);
        this.agents = grow(this.agents, row + 1);
        this.days = grow(this.days, row + 1);
        // Room for as many rows as the id arrays now hold (they may grow by more than one row).
        this.values = grow(this.values, this.shops.length * SLOTS);
      }
      this.shops[row] = shop;
      this.agents[row] = agent;
      this.days[row] = day;
      this.index.set(key, row);
    }
    return row;
  }

  add(row: number, slot: number, amount: number): void {
    this.values[row * SLOTS + slot]! += amount;
  }

  get(row: number, slot: number): number {
    return this.values[row * SLOTS + slot]!;
  }

  /** The rows so far, as arrays that can cross to another thread. */
  dump(): AgentDaysDump {
    return {
      shops: this.shops.subarray(0, this.size),
      agents: this.agents.subarray(0, this.size),
      days: this.days.subarray(0, this.size),
      values: this.values.subarray(0, this.size * SLOTS),
      size: this.size,
    };
  }

  /** Rows over a dump's arrays (adopted, not copied). */
  static fromDump(d: AgentDaysDump): AgentDays {
    const days = new AgentDays();
    days.shops = d.shops;
    days.agents = d.agents;
    days.days = d.days;
    days.values = d.values;
    days.size = d.size;
    for (let row = 0; row < d.size; row++)
      days.index.set(AgentDays.key(d.shops[row]!, d.agents[row]!, d.days[row]!), row);
    return days;
  }

  private static key(shop: number, agent: number, day: number): number {
    return (shop * 1_048_576 + agent) * 131_072 + (day & 0x1ffff);
  }

  max(row: number, slot: number, value: number): void {
    const at = row * SLOTS + slot;
    if (value > this.values[at]!) this.values[at] = value;
  }
}
