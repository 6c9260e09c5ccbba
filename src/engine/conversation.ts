/**
 * One customer conversation (a chat-log session) as quality review (质检) and the gaming
 * detectors read it: who spoke when, and what was said. Sources make them (a chat-log import
 * groups its lines by session; the demo generates some); the engine only reads them.
 *
 * Times are epoch milliseconds; `day` is the shop-local day the conversation started, which is
 * the day its figures belong to. Customer data in `text` is masked before it is stored or shown
 * (store side), never here.
 */

export type Speaker = "customer" | "agent" | "auto" | "system";

/**
 * What a line did: a message; the session handed to `toAgent`; the customer left a message
 * for later; the session closed; the agent invited the customer to rate the service (邀评).
 */
export type ConversationEvent = "message" | "transfer" | "leave_message" | "close" | "invite";

export interface ConversationMessage {
  at: number;
  from: Speaker;
  /** The agent the session was with at that moment (as the log names them), when one was. */
  agent?: string;
  event: ConversationEvent;
  /** A transfer's new agent. */
  toAgent?: string;
  /** A transfer the customer asked for (转人工, a supervisor) rather than one the agent chose. */
  customerAsked?: boolean;
  text: string;
}

export interface Conversation {
  /** The shop as the log names it (its id or configured name). */
  shop: string;
  /** The platform's session id: with the shop it names the conversation across re-imports. */
  session: string;
  customer: string;
  /** The agent the conversation is judged on: the first agent who answered, as the log names them. */
  agent: string;
  /** Shop-local day of the first message, YYYY-MM-DD. */
  day: string;
  /** In time order. */
  messages: ConversationMessage[];
  /** The customer's rating of the session (1–5), when given. */
  rating?: { score: number; at: number };
}
