/**
 * The message columns of docs/chatlog.md and their coded values. A line's `from` and `event`
 * are packed into one byte: from × 4 + event.
 */

export const MESSAGE_COLUMNS = ["ts", "session", "shop", "customer", "agent", "from", "event", "to_agent", "text"] as const;
export type MessageColumn = (typeof MESSAGE_COLUMNS)[number];
export const REQUIRED_MESSAGE_COLUMNS: readonly MessageColumn[] = ["ts", "session", "customer", "from"];

export const FROM = { customer: 1, agent: 2, auto: 3, system: 4 } as const;
export const EVENT = { message: 0, transfer: 1, leave_message: 2, close: 3 } as const;
export const FROM_NAMES = Object.keys(FROM);
export const EVENT_NAMES = Object.keys(EVENT);

export const kindOf = (from: number, event: number) => from * 4 + event;
export const fromOf = (kind: number) => kind >> 2;
export const eventOf = (kind: number) => kind & 3;

const encoder = new TextEncoder();
const fromBytes = Object.entries(FROM).map(([name, code]) => [encoder.encode(name), code] as const);
const eventBytes = Object.entries(EVENT).map(([name, code]) => [encoder.encode(name), code] as const);

function lookup(table: readonly (readonly [Uint8Array, number])[], b: Uint8Array, start: number, end: number): number {
  const length = end - start;
  outer: for (const [name, code] of table) {
    if (name.length !== length) continue;
    for (let i = 0; i < length; i++) if (name[i] !== b[start + i]) continue outer;
    return code;
  }
  return -1;
}

/** The code of a `from` value in bytes, or -1. */
export function fromCode(b: Uint8Array, start: number, end: number): number {
  return lookup(fromBytes, b, start, end);
}

/** The code of an `event` value in bytes (empty = message), or -1. */
export function eventCode(b: Uint8Array, start: number, end: number): number {
  return start === end ? EVENT.message : lookup(eventBytes, b, start, end);
}

export function fromCodeOf(text: string): number {
  return FROM[text as keyof typeof FROM] ?? -1;
}

export function eventCodeOf(text: string): number {
  return text === "" ? EVENT.message : (EVENT[text as keyof typeof EVENT] ?? -1);
}
