/**
 * The generated message lines in memory: what a line can be (from × event), and a session's
 * lines as columns.
 */
import type { TimeStyle } from "./generate-calendar.ts";
import type { Agent, Shop } from "./generate-people.ts";
import type { Text } from "./generate-texts.ts";

export type From = "customer" | "agent" | "auto" | "system";
export type LineEvent = "message" | "transfer" | "leave_message" | "close";
/** A transfer's `transfer_reason`: the customer asked for it, or none given (the agent's own). */
export type TransferReason = "customer_request" | "";

/** Every (from, event, transfer reason) a line can have; a line stores its index, its kind. */
export const LINE_KINDS: ReadonlyArray<readonly [From, LineEvent, TransferReason]> = [
  ["customer", "message", ""],
  ["customer", "leave_message", ""],
  ["agent", "message", ""],
  ["agent", "transfer", ""],
  ["agent", "close", ""],
  ["auto", "message", ""],
  ["system", "message", ""],
  ["system", "transfer", ""],
  ["system", "close", ""],
  ["agent", "transfer", "customer_request"],
  ["system", "transfer", "customer_request"],
];
const KIND_INDEX = new Map<string, number>(
  LINE_KINDS.map(([from, event, reason], kind) => [`${from} ${event} ${reason}`, kind]),
);

/** The kind of a line from `from` with `event` (and, on a transfer, `reason`). */
export function kindOf(from: From, event: LineEvent, reason: TransferReason = ""): number {
  const kind = KIND_INDEX.get(`${from} ${event} ${reason}`);
  if (kind === undefined) throw new Error(`no line is from ${from} with event ${event} ${reason}`);
  return kind;
}

export interface SessionInfo {
  readonly id: string;
  readonly shop: Shop;
  readonly customer: string;
}

/**
 * A session's lines as columns, reused from one session to the next: 10 M lines must not be
 * 10 M objects for the garbage collector.
 */
export class SessionLines {
  session: SessionInfo | undefined;
  count = 0;
  readonly ts: number[] = [];
  readonly style: TimeStyle[] = [];
  /** Index into LINE_KINDS. */
  readonly kind: number[] = [];
  /** The agent the session is with at the line (undefined while unassigned). */
  readonly agent: Array<Agent | undefined> = [];
  readonly toAgent: Array<Agent | undefined> = [];
  readonly text: Text[] = [];

  reset(session: SessionInfo): void {
    this.session = session;
    this.count = 0;
  }

  push(
    ts: number,
    style: TimeStyle,
    kind: number,
    agent: Agent | undefined,
    toAgent: Agent | undefined,
    text: Text,
  ): void {
    const i = this.count++;
    this.ts[i] = ts;
    this.style[i] = style;
    this.kind[i] = kind;
    this.agent[i] = agent;
    this.toAgent[i] = toAgent;
    this.text[i] = text;
  }
}
