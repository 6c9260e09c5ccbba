/** What the readers need from the analyzer. */
export interface MessageSink {
  internSession(bytes: Uint8Array, start: number, end: number): number;
  /** The shop's id; `session` (or -1) lets it try the shop of the session's first line first. */
  internShop(session: number, bytes: Uint8Array, start: number, end: number): number;
  /** The agent's id; `session` (or -1) lets it reuse the session's last agent without hashing. */
  internAgent(session: number, bytes: Uint8Array, start: number, end: number): number;
  /** Notes the session's customer; returns the customer's key within its shop (-1 if not kept). */
  internCustomer(session: number, shop: number, bytes: Uint8Array, start: number, end: number): number;
  /** Whether the session's customer is still unknown. */
  needsCustomer(session: number): boolean;
  /** An agent message's note: 1 + the forbidden-phrase rule it breaks in the shop, or 0. */
  matchPhrase(shop: number, bytes: Uint8Array, start: number, end: number): number;
  /** Adds a good line; returns a reason if it cannot be taken (its session is already complete). */
  addMessage(
    line: number,
    session: number,
    ts: number,
    kind: number,
    agent: number,
    toAgent: number,
    /** SessionLines.note: the phrase rule broken, or on a transfer REQUESTED_TRANSFER. */
    note: number,
    shop: number,
    customer: number,
  ): string | undefined;
  problem(file: string, line: number, reason: string): void;
}
