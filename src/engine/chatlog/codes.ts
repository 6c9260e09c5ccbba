/**
 * The message columns of docs/chatlog.md and their coded values. A line's `from` and `event`
 * are packed into one byte: from × 4 + event.
 */

export const MESSAGE_COLUMNS = [
  "ts",
  "session",
  "shop",
  "customer",
  "agent",
  "from",
  "event",
  "to_agent",
  "transfer_reason",
  "text",
] as const;
export type MessageColumn = (typeof MESSAGE_COLUMNS)[number];
export const REQUIRED_MESSAGE_COLUMNS: readonly MessageColumn[] = ["ts", "session", "customer", "from"];

export const FROM = { customer: 1, agent: 2, auto: 3, system: 4 } as const;
export const EVENT = { message: 0, transfer: 1, leave_message: 2, close: 3 } as const;
export const FROM_NAMES = Object.keys(FROM);
export const EVENT_NAMES = Object.keys(EVENT);

export const kindOf = (from: number, event: number) => from * 4 + event;
export const fromOf = (kind: number) => kind >> 2;
export const eventOf = (kind: number) => kind & 3;

function same(b: Uint8Array, start: number, word: string): boolean {
  for (let i = 1; i < word.length; i++) if (b[start + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** The code of a `from` value in bytes, or -1 (decided by length and first byte, then checked). */
export function fromCode(b: Uint8Array, start: number, end: number): number {
  switch (end - start) {
    case 8:
      return b[start] === 99 && same(b, start, "customer") ? FROM.customer : -1;
    case 5:
      return b[start] === 97 && same(b, start, "agent") ? FROM.agent : -1;
    case 4:
      return b[start] === 97 && same(b, start, "auto") ? FROM.auto : -1;
    case 6:
      return b[start] === 115 && same(b, start, "system") ? FROM.system : -1;
    default:
      return -1;
  }
}

/** The code of an `event` value in bytes (empty = message), or -1. */
export function eventCode(b: Uint8Array, start: number, end: number): number {
  switch (end - start) {
    case 0:
      return EVENT.message;
    case 7:
      return b[start] === 109 && same(b, start, "message") ? EVENT.message : -1;
    case 8:
      return b[start] === 116 && same(b, start, "transfer") ? EVENT.transfer : -1;
    case 13:
      return b[start] === 108 && same(b, start, "leave_message") ? EVENT.leave_message : -1;
    case 5:
      return b[start] === 99 && same(b, start, "close") ? EVENT.close : -1;
    default:
      return -1;
  }
}

export function fromCodeOf(text: string): number {
  return FROM[text as keyof typeof FROM] ?? -1;
}

export function eventCodeOf(text: string): number {
  return text === "" ? EVENT.message : (EVENT[text as keyof typeof EVENT] ?? -1);
}

/**
 * On a transfer line, the one `transfer_reason` that makes it the customer's own request (seed 000:
 * 转接率 不含客户主动要求转接); any other value, or none, is a transfer the agent chose.
 */
export const CUSTOMER_REQUEST = "customer_request";

/** A transfer line's note (SessionLines.note) when the customer asked for the transfer. */
export const REQUESTED_TRANSFER = 1;

/** Whether bytes[start, end) say `customer_request`. */
export function isCustomerRequest(b: Uint8Array, start: number, end: number): boolean {
  return end - start === CUSTOMER_REQUEST.length && b[start] === 99 && same(b, start, CUSTOMER_REQUEST);
}
