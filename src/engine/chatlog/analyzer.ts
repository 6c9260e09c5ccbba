import { Combined } from "./combine.ts";
import { LogPart, MAX_PROBLEMS } from "./log-part.ts";
import type { MessageCsvReader, MessageJsonReader } from "./message-reader.ts";
import type { ChatlogResult, LineProblem } from "./result.ts";
import { type ChatlogOptions, checkOptions, RuleBook } from "./rules.ts";
import {
  ORDER_COLUMNS,
  type OrderRecord,
  RATING_COLUMNS,
  type Rating,
  REVIEW_COLUMNS,
  type Review,
  readOrder,
  readRating,
  readReview,
} from "./side-records.ts";
import { TableCsvReader, TableJsonReader, type TableRow } from "./table-reader.ts";

export type { ChatlogOptions } from "./rules.ts";

/**
 * Reads chat logs (and orders, ratings, reviews) on one core and computes per-agent, per-day
 * figures by the definitions of docs/chatlog.md. Feed the messages first, then the other files,
 * then call `finish`. (sources/chatlog-parallel.ts reads a large file on several cores.)
 */
export class ChatlogAnalyzer {
  private readonly rulebook: RuleBook;
  private readonly part: LogPart;
  constructor(
    private readonly options: ChatlogOptions = {},
    private readonly sides = new SideFiles(),
  ) {
    checkOptions(options);
    this.rulebook = new RuleBook(options);
    this.part = new LogPart(options, this.rulebook);
  }

  messagesCsv(file: string): MessageCsvReader {
    return this.part.messagesCsv(file);
  }

  messagesJson(file: string): MessageJsonReader {
    return this.part.messagesJson(file);
  }

  ordersReader(file: string, format: "csv" | "jsonl"): TableCsvReader | TableJsonReader {
    return this.sides.ordersReader(file, format);
  }

  ratingsReader(file: string, format: "csv" | "jsonl"): TableCsvReader | TableJsonReader {
    return this.sides.ratingsReader(file, format);
  }

  reviewsReader(file: string, format: "csv" | "jsonl"): TableCsvReader | TableJsonReader {
    return this.sides.reviewsReader(file, format);
  }

  finish(): ChatlogResult {
    this.part.endMessages();
    const combined = new Combined(this.options, this.rulebook);
    combined.add(this.part.state(), 0);
    return combined.finish(this.sides.records());
  }
}

/** Orders, ratings and reviews as read, with their bad lines. */
export class SideFiles {
  private orders: OrderRecord[] | undefined;
  private ratings: Rating[] | undefined;
  private reviews: Review[] | undefined;
  private readonly problems: LineProblem[] = [];
  private problemCount = 0;

  ordersReader(file: string, format: "csv" | "jsonl"): TableCsvReader | TableJsonReader {
    const orders: OrderRecord[] = this.orders ?? [];
    this.orders = orders;
    const seen = new Map<string, number>();
    return this.reader(file, format, ORDER_COLUMNS, (row, line) => {
      const order = readOrder(row, line);
      if (typeof order === "string") return this.problem(file, line, order);
      const first = seen.get(order.id);
      if (first !== undefined)
        return this.problem(file, line, `order ${order.id} appears twice (first on line ${first})`);
      seen.set(order.id, line);
      orders.push(order);
    });
  }

  ratingsReader(file: string, format: "csv" | "jsonl"): TableCsvReader | TableJsonReader {
    const ratings: Rating[] = this.ratings ?? [];
    this.ratings = ratings;
    return this.reader(file, format, RATING_COLUMNS, (row, line) => {
      const rating = readRating(row, file, line);
      if (typeof rating === "string") this.problem(file, line, rating);
      else ratings.push(rating);
    });
  }

  reviewsReader(file: string, format: "csv" | "jsonl"): TableCsvReader | TableJsonReader {
    const reviews: Review[] = this.reviews ?? [];
    this.reviews = reviews;
    return this.reader(file, format, REVIEW_COLUMNS, (row, line) => {
      const review = readReview(row, file, line);
      if (typeof review === "string") this.problem(file, line, review);
      else reviews.push(review);
    });
  }

  records() {
    return {
      ...(this.orders ? { orders: this.orders } : {}),
      ...(this.ratings ? { ratings: this.ratings } : {}),
      ...(this.reviews ? { reviews: this.reviews } : {}),
      problems: this.problems,
      problemCount: this.problemCount,
    };
  }

  private problem(file: string, line: number, reason: string): void {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ file, line, reason });
  }

  private reader(
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
}
