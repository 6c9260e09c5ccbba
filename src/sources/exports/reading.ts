/**
 * What reading a cell gave: nothing ("-", a blank), a figure still being counted, a value, or
 * why the cell cannot be read. The empty and pending readings are shared.
 */

export type Reading<T> =
  | { state: "empty" }
  | { state: "pending" }
  | { state: "value"; value: T }
  | { state: "bad"; reason: string };

export const EMPTY = { state: "empty" } as const;
export const PENDING = { state: "pending" } as const;
export const bad = (reason: string) => ({ state: "bad", reason }) as const;
export const ok = <T>(value: T) => ({ state: "value", value }) as const;
