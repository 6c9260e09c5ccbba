import { type AgentDays, SLOT } from "./agent-days.ts";
import { type ChatFact, formatLocal } from "./facts.ts";
import type { Consultations, Order } from "./sales.ts";
import type { SessionTable } from "./session-table.ts";
import type { Rating, Review } from "./side-records.ts";

/**
 * Ratings and reviews, once every session is known: CSAT on the rated session's day; bad reviews
 * for the agent named, or the one who last served the customer before the order. Every rating
 * below 4 is to be reviewed (复盘) and every bad review followed up within 24 h [000]: both are facts.
 */

export interface FeedbackContext {
  days: AgentDays;
  table: SessionTable;
  consultations: Consultations;
  facts: ChatFact[];
  /** The session's row in the table, or -1. */
  session(name: string): number;
  agent(name: string): number;
  local(shop: number): (ms: number) => number;
  defaultShop: number;
  shopName(shop: number): string;
  agentName(agent: number): string;
  /** The customer's dense keys, one per shop the customer consulted in. */
  customerKeys(customer: string): number[];
  unattributedReview(): void;
  problem(file: string, line: number, reason: string): void;
}

const DAY_MS = 86_400_000;

export function applyRatings(ratings: readonly Rating[], c: FeedbackContext): void {
  for (const r of ratings) {
    const session = c.session(r.session);
    const known = c.table.has(session);
    const shop = known ? c.table.shop[session]! : c.defaultShop;
    const agent = r.agent !== null ? c.agent(r.agent) : known ? c.table.lastAgent[session]! : -1;
    if (agent < 0) {
      c.problem(r.file, r.line, `session ${r.session} is not in the messages and the rating names no agent`);
      continue;
    }
    const local = c.local(shop);
    const day = known ? c.table.day[session]! : Math.floor(local(r.at) / DAY_MS);
    const row = c.days.row(shop, agent, day);
    c.days.add(row, SLOT.ratings, 1);
    c.days.add(row, SLOT.scoreSum, r.score);
    if (r.score >= 4) c.days.add(row, SLOT.satisfied, 1);
    else {
      c.facts.push({
        kind: "low_rating",
        shop: c.shopName(shop),
        agent: c.agentName(agent),
        session: r.session,
        score: r.score,
        at: formatLocal(r.at, local),
      });
    }
  }
}

export function applyReviews(reviews: readonly Review[], orders: readonly Order[], c: FeedbackContext): void {
  const byId = new Map(orders.map((o) => [o.id, o]));
  for (const v of reviews) {
    const order = byId.get(v.order);
    // The customer's last consultation before the order (or before the review, if the order is
    // not in the orders file), in the order's shop or any shop the customer used: it gives the
    // agent when the review names none, and the shop when the order is unknown.
    const before = order?.paidAt ?? v.at;
    let best = -1;
    for (const key of order ? [order.customerKey] : c.customerKeys(v.customer)) {
      const row = c.consultations.lastBefore(key, before);
      if (row >= 0 && (best < 0 || c.days.days[row]! > c.days.days[best]!)) best = row;
    }
    const shop = order?.shop ?? (best >= 0 ? c.days.shops[best]! : c.defaultShop);
    const agent = v.agent !== null ? c.agent(v.agent) : best >= 0 ? c.days.agents[best]! : -1;
    const local = c.local(shop);
    if (agent >= 0) {
      const row = c.days.row(shop, agent, Math.floor(local(v.at) / DAY_MS));
      c.days.add(row, SLOT.reviews, 1);
      if (v.rating === "bad") c.days.add(row, SLOT.badReviews, 1);
    } else c.unattributedReview();
    if (v.rating === "bad") {
      c.facts.push({
        kind: "bad_review",
        shop: c.shopName(shop),
        agent: agent >= 0 ? c.agentName(agent) : null,
        order: v.order,
        customer: v.customer,
        at: formatLocal(v.at, local),
        text: v.text,
        followUpBy: formatLocal(v.at + DAY_MS, local),
      });
    }
  }
}
