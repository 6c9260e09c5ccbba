import { parseTime, type TableRow } from "./table-reader.ts";

/**
 * Checking a line of orders, ratings or reviews (docs/chatlog.md, "Input files"). Each reader
 * returns the record, or the reason the line is bad.
 */

export const ORDER_COLUMNS = ["order", "customer", "paid_at", "amount"] as const;
export const RATING_COLUMNS = ["session", "score", "at"] as const;
export const REVIEW_COLUMNS = ["order", "customer", "rating", "at"] as const;

/** An order as read; shop and customer are named, and resolved once every part is read. */
export interface OrderRecord {
  id: string;
  shop: string;
  customer: string;
  paidAt: number;
  amount: number;
  line: number;
}

const TRUE = new Set(["true", "1", "yes", "y", "是", "货到付款"]);
const FALSE = new Set(["", "false", "0", "no", "n", "否"]);

function time(row: TableRow, column: string): number | string {
  const at = parseTime(row[column] ?? "");
  return Number.isNaN(at)
    ? `${column}: ${JSON.stringify(row[column] ?? "")} is not an ISO-8601 time with an offset`
    : at;
}

export function readOrder(row: TableRow, line: number): OrderRecord | string {
  if (!row.order) return "order is empty";
  if (!row.customer) return "customer is empty";
  const paidAt = time(row, "paid_at");
  if (typeof paidAt === "string") return paidAt;
  const amount = Number((row.amount ?? "").replace(/[,¥￥元]/g, ""));
  if (row.amount === "" || !Number.isFinite(amount))
    return `amount: ${JSON.stringify(row.amount)} is not a number`;
  if (amount < 0) return `amount: ${row.amount} is negative; refunds are not orders`;
  const cod = (row.cod ?? "").toLowerCase();
  if (!TRUE.has(cod) && !FALSE.has(cod)) return `cod: ${JSON.stringify(row.cod)} is not true or false`;
  return { id: row.order, shop: row.shop ?? "", customer: row.customer, paidAt, amount, line };
}

export interface Rating {
  file: string;
  session: string;
  agent: string | null;
  score: number;
  at: number;
  line: number;
}

export function readRating(row: TableRow, file: string, line: number): Rating | string {
  if (!row.session) return "session is empty";
  const score = Number(row.score);
  if (!Number.isInteger(score) || score < 1 || score > 5)
    return `score: ${JSON.stringify(row.score)} is not a whole number from 1 to 5`;
  const at = time(row, "at");
  if (typeof at === "string") return at;
  return { file, session: row.session, agent: row.agent || null, score, at, line };
}

const RATINGS: Record<string, "good" | "neutral" | "bad"> = {
  good: "good",
  neutral: "neutral",
  bad: "bad",
  好评: "good",
  中评: "neutral",
  差评: "bad",
};

export interface Review {
  file: string;
  order: string;
  customer: string;
  agent: string | null;
  rating: "good" | "neutral" | "bad";
  at: number;
  text: string;
  line: number;
}

export function readReview(row: TableRow, file: string, line: number): Review | string {
  if (!row.order) return "order is empty";
  if (!row.customer) return "customer is empty";
  const rating = RATINGS[(row.rating ?? "").toLowerCase()];
  if (!rating) return `rating: ${JSON.stringify(row.rating)} is not one of good, neutral, bad`;
  const at = time(row, "at");
  if (typeof at === "string") return at;
  return {
    file,
    order: row.order,
    customer: row.customer,
    agent: row.agent || null,
    rating,
    at,
    text: row.text ?? "",
    line,
  };
}
