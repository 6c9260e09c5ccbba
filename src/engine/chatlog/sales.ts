import { type AgentDays, SLOT } from "./agent-days.ts";
import { grow } from "./bytes.ts";
import { sortRange } from "./session-table.ts";

/**
 * Conversion and sales (docs/chatlog.md, "Conversion and sales"): a payment is attributed to the
 * agent the customer last consulted before paying, if it falls within the attribution window of
 * that consultation's day; an agent-day's consulting customers convert if such a payment follows.
 */

export interface Order {
  id: string;
  shop: number;
  customerKey: number;
  paidAt: number;
  amount: number;
  line: number;
}

export interface ConsultationsDump {
  customerKey: Int32Array<ArrayBuffer>;
  row: Int32Array<ArrayBuffer>;
  at: Float64Array<ArrayBuffer>;
  size: number;
}

/** Every consultation (agent segment) by customer, for attribution. */
export class Consultations {
  private customerKey = new Int32Array(1024);
  private row = new Int32Array(1024);
  private at = new Float64Array(1024);
  private size = 0;
  private grouped: { order: Int32Array; groupStart: Int32Array } | undefined;

  add(customerKey: number, row: number, at: number): void {
    if (this.size >= this.row.length) {
      this.customerKey = grow(this.customerKey, this.size + 1);
      this.row = grow(this.row, this.size + 1);
      this.at = grow(this.at, this.size + 1);
    }
    this.customerKey[this.size] = customerKey;
    this.row[this.size] = row;
    this.at[this.size] = at;
    this.size++;
    this.grouped = undefined;
  }

  dump(): ConsultationsDump {
    return {
      customerKey: this.customerKey.subarray(0, this.size),
      row: this.row.subarray(0, this.size),
      at: this.at.subarray(0, this.size),
      size: this.size,
    };
  }

  /** Consultations over a dump's arrays (adopted, not copied). */
  static fromDump(d: ConsultationsDump): Consultations {
    const c = new Consultations();
    c.customerKey = d.customerKey;
    c.row = d.row;
    c.at = d.at;
    c.size = d.size;
    return c;
  }

  /** Groups by customer, each group in time order; call once all are added. */
  group(customers: number): void {
    const groupStart = new Int32Array(customers + 1);
    for (let i = 0; i < this.size; i++) groupStart[this.customerKey[i]! + 1]!++;
    for (let c = 0; c < customers; c++) groupStart[c + 1]! += groupStart[c]!;
    const fill = groupStart.slice(0, customers);
    const order = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) order[fill[this.customerKey[i]!]!++] = i;
    for (let c = 0; c < customers; c++) sortRange(order, groupStart[c]!, groupStart[c + 1]!, this.at);
    this.grouped = { order, groupStart };
  }

  /** The agent-day row of the customer's last consultation strictly before `at`, or -1. */
  lastBefore(customerKey: number, at: number): number {
    const { order, groupStart } = this.grouped!;
    if (customerKey < 0 || customerKey + 1 >= groupStart.length) return -1;
    let lo = groupStart[customerKey]!;
    let hi = groupStart[customerKey + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at[order[mid]!]! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo > groupStart[customerKey]! ? this.row[order[lo - 1]!]! : -1;
  }

  /** Calls fn with each customer's distinct consultation rows. */
  forEachCustomer(fn: (customerKey: number, rows: Set<number>) => void): void {
    const { order, groupStart } = this.grouped!;
    for (let c = 0; c + 1 < groupStart.length; c++) {
      if (groupStart[c + 1] === groupStart[c]) continue;
      const rows = new Set<number>();
      for (let i = groupStart[c]!; i < groupStart[c + 1]!; i++) rows.add(this.row[order[i]!]!);
      fn(c, rows);
    }
  }
}

/**
 * Attributes orders, adds sales on the payment day and conversion on the consultation day.
 * `payDay` gives the shop-local day of an instant.
 */
export function attributeOrders(
  orders: readonly Order[],
  consultations: Consultations,
  days: AgentDays,
  windowDays: number,
  payDay: (shop: number, at: number) => number,
): void {
  const paid = new Map<number, { agent: number; day: number }[]>();
  for (const order of orders) {
    const row = consultations.lastBefore(order.customerKey, order.paidAt);
    if (row < 0) continue;
    const day = payDay(order.shop, order.paidAt);
    if (day - days.days[row]! >= windowDays) continue;
    const agent = days.agents[row]!;
    // In cents, so that sums of prices stay exact.
    days.add(days.row(days.shops[row]!, agent, day), SLOT.sales, Math.round(order.amount * 100));
    const list = paid.get(order.customerKey);
    if (list) list.push({ agent, day });
    else paid.set(order.customerKey, [{ agent, day }]);
  }
  consultations.forEachCustomer((customerKey, rows) => {
    const payments = paid.get(customerKey);
    for (const row of rows) {
      days.add(row, SLOT.consultingCustomers, 1);
      const agent = days.agents[row]!;
      const day = days.days[row]!;
      if (payments?.some((p) => p.agent === agent && p.day >= day && p.day < day + windowDays)) {
        days.add(row, SLOT.converted, 1);
      }
    }
  });
}
