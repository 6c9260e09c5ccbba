/**
 * What sessions lead to besides messages: orders (paid within 0–3 days by ~20% of those who
 * asked, plus silent buyers who never chat), ratings of sessions, reviews of orders. Rows dated
 * after the period's end are left out, as an export of the period would.
 */
import {
  DAY_MS,
  HOUR_MS,
  localDate,
  MINUTE_MS,
  SECOND_MS,
  TimeStyle,
  TimestampFormatter,
} from "./generate-calendar.ts";
import type { SessionInfo } from "./generate-lines.ts";
import type { ChatlogOutput, SideTable } from "./generate-output.ts";
import { orderId, type Shop } from "./generate-people.ts";
import { type Random, WeightedChoice } from "./generate-random.ts";
import type { SessionOutcome } from "./generate-session.ts";
import { PRODUCTS, REVIEW_TEXTS } from "./generate-texts.ts";

const SHARE = {
  rated: 0.3,
  ratingWithoutAgent: 0.2,
  reviewed: 0.4,
  reviewWithoutAgent: 0.4,
  discount: 0.3,
};

/** Customers who paid within 0–3 days, by what they asked about (≈ 20% overall). */
const CONVERSION: Record<SessionOutcome["topic"], number> = {
  presale: 0.24,
  promotion: 0.24,
  shipping: 0.08,
  aftersale: 0.03,
};

const PRICES = [89, 99, 129, 159, 199, 239, 299, 369, 459, 599, 699, 899, 1099, 1299];
const DISCOUNTS = [0.85, 0.9, 0.95];
const SCORES = new WeightedChoice([
  [5, 0.8],
  [4, 0.1],
  [3, 0.04],
  [2, 0.02],
  [1, 0.04],
]);
/** Scores of sessions left with a run unanswered. */
const UNHAPPY_SCORES = new WeightedChoice([
  [5, 0.3],
  [3, 0.2],
  [2, 0.2],
  [1, 0.3],
]);
const REVIEW_RATINGS = new WeightedChoice<keyof typeof REVIEW_TEXTS>([
  ["good", 0.93],
  ["neutral", 0.05],
  ["bad", 0.02],
]);

export class SalesAndFeedback {
  readonly counts = { orders: 0, ratings: 0, reviews: 0 };
  private readonly formatter = new TimestampFormatter();
  /** Orders so far over all shops (order ids never clash). */
  private orderSerial = 0;

  constructor(
    private readonly random: Random,
    private readonly output: ChatlogOutput,
    /** Epoch ms of the end of the period. */
    private readonly dataEnd: number,
  ) {}

  /** About 30% of sessions are rated, mostly 5. */
  rate(session: SessionInfo, outcome: SessionOutcome): void {
    if (outcome.lastAgent === undefined || !this.random.chance(SHARE.rated)) return;
    const at = Math.floor(outcome.end + this.random.between(3 * SECOND_MS, 10 * MINUTE_MS));
    const score = (outcome.answered ? SCORES : UNHAPPY_SCORES).pick(this.random);
    const agent = this.random.chance(SHARE.ratingWithoutAgent) ? "" : outcome.lastAgent.name;
    const time = this.time(at);
    this.addSide("ratings", at, [session.id, agent, String(score), time], {
      session: session.id,
      agent,
      score,
      at: time,
    });
  }

  /** Whether, and when, the customer pays after the session. */
  maybeOrder(session: SessionInfo, outcome: SessionOutcome, dayLoad: number): void {
    const odds = CONVERSION[outcome.topic] * (dayLoad >= 2 ? 1.15 : 1);
    if (!this.random.chance(odds)) return;
    const u = this.random.next();
    const delay =
      u < 0.45
        ? this.random.between(30 * SECOND_MS, 30 * MINUTE_MS)
        : u < 0.75
          ? this.random.between(30 * MINUTE_MS, 12 * HOUR_MS)
          : this.random.between(12 * HOUR_MS, 72 * HOUR_MS);
    this.order(
      session.shop,
      session.customer,
      Math.floor(outcome.end + delay),
      outcome.lastAgent?.name ?? "",
    );
  }

  /** An order paid at `paidAt` (the order time if cash on delivery), maybe reviewed days later. */
  order(shop: Shop, customer: string, paidAt: number, servedBy: string): void {
    const cod = this.random.chance(shop.codShare);
    const price = this.random.pick(PRICES);
    const factor = price >= 129 && this.random.chance(SHARE.discount) ? this.random.pick(DISCOUNTS) : 1;
    const amount = (price * factor).toFixed(2);
    const id = orderId(shop, this.orderSerial++, localDate(paidAt), this.random);
    const time = this.time(paidAt);
    if (
      !this.addSide("orders", paidAt, [id, shop.name, customer, time, amount, String(cod)], {
        order: id,
        shop: shop.name,
        customer,
        paid_at: time,
        amount: Number(amount),
        cod,
      })
    )
      return;
    if (this.random.chance(SHARE.reviewed)) this.review(id, customer, paidAt, servedBy);
  }

  private review(order: string, customer: string, paidAt: number, servedBy: string): void {
    const at = Math.floor(paidAt + this.random.between(1.5 * DAY_MS, 6 * DAY_MS));
    const rating = REVIEW_RATINGS.pick(this.random);
    const text = REVIEW_TEXTS[rating].pick(this.random, this.random.int(0, PRODUCTS.length - 1));
    const agent = this.random.chance(SHARE.reviewWithoutAgent) ? "" : servedBy;
    const time = this.time(at);
    this.addSide("reviews", at, [order, customer, agent, rating, time, text.csv], {
      order,
      customer,
      agent,
      rating,
      at: time,
      text: text.raw,
    });
  }

  /**
   * Adds a row of orders, ratings or reviews unless it falls after the data's last day (an
   * export of the period would not hold it). `csvFields` are ready-quoted CSV fields.
   */
  private addSide(table: SideTable, at: number, csvFields: string[], json: object): boolean {
    if (at >= this.dataEnd) return false;
    this.output.addSide(table, {
      ts: at,
      csv: `${csvFields.join(",")}\n`,
      json: this.output.sidesAsJson ? `${JSON.stringify(json)}\n` : "",
    });
    this.counts[table]++;
    return true;
  }

  private time(ms: number): string {
    return this.formatter.format(ms, TimeStyle.IsoMillis);
  }
}
