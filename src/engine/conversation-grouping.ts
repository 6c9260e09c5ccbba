import { DEFAULT_SESSION_GAP } from "./chatlog/rules.ts";
import type { Conversation, ConversationEvent, ConversationMessage, Speaker } from "./conversation.ts";

/**
 * A chat log's lines grouped by session into conversations, as they stream past: a session is
 * held only until it is complete, so memory follows the sessions open at once, not the file.
 * Complete means what the chat-log analyser takes it to mean (docs/chatlog.md, "How a file is
 * read"): a sixteenth of the session gap after its `close`, or a whole gap of lines without one
 * of its own, or the end of the file. Lines of a session may interleave with others' and come
 * out of order within that gap; a session's lines are put in time order (equal times keep their
 * order in the file).
 */

/** One line of a chat log, as the reader parsed it (docs/chatlog.md, "messages"). */
export interface ConversationLine {
  at: number;
  session: string;
  shop: string;
  customer: string;
  /** The agent the session is with at that moment; empty while unassigned. */
  agent: string;
  from: Speaker;
  event: ConversationEvent;
  toAgent: string;
  customerAsked: boolean;
  text: string;
}

export interface GroupingOptions {
  /** The shop-local day (YYYY-MM-DD) of an instant, per shop as the log names it. */
  dayOf(shop: string, at: number): string;
  /** The session's rating from the ratings file, when it has one. */
  ratingOf(shop: string, session: string): { score: number; at: number } | undefined;
  /** Lines after which a session with no line of its own is complete (default 1,000,000). */
  sessionGap?: number;
}

interface OpenSession {
  lines: ConversationLine[];
  lastLine: number;
}

export class ConversationGrouper {
  /** By shop and session, in the order of their latest line: the longest silent first. */
  private readonly open = new Map<string, OpenSession>();
  /** Closed sessions by shop and session, in the order they closed. */
  private readonly closing = new Map<string, number>();
  private readonly gap: number;
  private readonly closedGap: number;
  private lineNo = 0;

  constructor(private readonly options: GroupingOptions) {
    this.gap = options.sessionGap ?? DEFAULT_SESSION_GAP;
    this.closedGap = Math.max(1, Math.floor(this.gap / 16));
  }

  /** Takes a line; returns the conversations it leaves complete (possibly none). */
  add(line: ConversationLine): Conversation[] {
    this.lineNo++;
    const key = `${line.shop}\u0000${line.session}`;
    const session = this.open.get(key) ?? { lines: [], lastLine: 0 };
    this.open.delete(key);
    session.lines.push(line);
    session.lastLine = this.lineNo;
    this.open.set(key, session);
    if (line.event === "close") {
      this.closing.delete(key);
      this.closing.set(key, this.lineNo);
    }
    return this.completeBefore(this.lineNo);
  }

  /** The end of the file: every session still open is complete. */
  finish(): Conversation[] {
    return this.completeBefore(Number.POSITIVE_INFINITY);
  }

  /**
   * Closed sessions complete in the order they closed, the others in the order of their latest
   * line: each walk stops at the first that is not complete yet.
   */
  private completeBefore(lineNo: number): Conversation[] {
    const done: Conversation[] = [];
    const complete = (key: string) => {
      const session = this.open.get(key)!;
      this.open.delete(key);
      this.closing.delete(key);
      const conversation = this.conversationOf(session.lines);
      if (conversation) done.push(conversation);
    };
    for (const [key, closedAt] of this.closing) {
      if (lineNo - closedAt < this.closedGap) break;
      complete(key);
    }
    for (const [key, session] of this.open) {
      if (lineNo - session.lastLine < this.gap) break;
      complete(key);
    }
    return done;
  }

  private conversationOf(lines: ConversationLine[]): Conversation | null {
    const ordered = lines
      .map((line, i) => ({ line, i }))
      .sort((a, b) => a.line.at - b.line.at || a.i - b.i)
      .map(({ line }) => line);
    const firstCustomer = ordered.find((l) => l.from === "customer");
    // Not a consultation (docs/chatlog.md, "Session day"): nothing to review.
    if (!firstCustomer) return null;
    const answered = ordered.find((l) => l.from === "agent" && l.event === "message" && l.agent !== "");
    const agent = answered?.agent ?? ordered.find((l) => l.agent !== "")?.agent;
    if (agent === undefined) return null;
    const { shop, session } = firstCustomer;
    const rating = this.options.ratingOf(shop, session);
    return {
      shop,
      session,
      customer: firstCustomer.customer,
      agent,
      day: this.options.dayOf(shop, firstCustomer.at),
      messages: ordered.map(messageOf),
      ...(rating ? { rating } : {}),
    };
  }
}

function messageOf(line: ConversationLine): ConversationMessage {
  return {
    at: line.at,
    from: line.from,
    ...(line.agent === "" ? {} : { agent: line.agent }),
    event: line.event,
    ...(line.event === "transfer" ? { toAgent: line.toAgent, customerAsked: line.customerAsked } : {}),
    text: line.text,
  };
}
