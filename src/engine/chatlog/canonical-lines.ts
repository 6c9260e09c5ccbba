import type { TimestampParser } from "./bytes.ts";
import { EVENT, FROM, isCustomerRequest, kindOf, REQUESTED_TRANSFER } from "./codes.ts";
import type { MessageSink } from "./message-sink.ts";

/**
 * The fast path for message files in the documented column order
 * (ts,session,shop,customer,agent,from,event,to_agent,text, or with transfer_reason before the
 * text): one pass over each line, the time,
 * `from` and `event` decoded where they stand rather than found first and read again. Any line
 * that is not plainly well formed (a quote before the text, a value it does not know) is left to
 * the general reader, which reports what is wrong; so is the end of a buffer.
 */

export const CANONICAL_HEADER = "ts,session,shop,customer,agent,from,event,to_agent,text";
export const CANONICAL_HEADER_WITH_REASON =
  "ts,session,shop,customer,agent,from,event,to_agent,transfer_reason,text";

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Returned when the general reader must take the line. */
export const FALLBACK = -1;

/** Four bytes as one number: the words of `from` and `event` are compared four bytes at a time. */
function four(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
}

const fourOf = (text: string) => four(new TextEncoder().encode(text), 0);
const CUST = fourOf("cust");
const OMER = fourOf("omer");
const AGEN = fourOf("agen");
const AUTO = fourOf("auto");
const SYST = fourOf("syst");
const MESS = fourOf("mess");
const CLOS = fourOf("clos");
const TRAN = fourOf("tran");
const SFER = fourOf("sfer");
const LEAV = fourOf("leav");
const E_ME = fourOf("e_me");
const SSAG = fourOf("ssag");
const MESSAGE_END = fourOf("age,");
const T = 116;
const E = 101;
const M = 109;

/** Skips to the next comma (or line end); bytes above the comma cost one compare each. */
function field(b: Uint8Array, pos: number, end: number): number {
  while (pos < end) {
    const c = b[pos]!;
    if (c <= COMMA && (c === COMMA || c === LF || c === CR || c === QUOTE)) break;
    pos++;
  }
  return pos;
}

/**
 * `last` if the quoted field opened at `open` closes there (every quote between is doubled, as
 * the field's value keeps them), else -1.
 */
function closingQuote(b: Uint8Array, open: number, last: number): number {
  if (last <= open || b[last] !== QUOTE) return -1;
  for (let i = b.indexOf(QUOTE, open + 1); i < last; i = b.indexOf(QUOTE, i + 2)) {
    if (i + 1 >= last || b[i + 1] !== QUOTE) return -1;
  }
  return last;
}

/**
 * Reads the line at `pos` (which lies before `end`, with a line feed somewhere before `end`);
 * returns where the next line starts, or FALLBACK. `withReason`: a transfer_reason field comes
 * before the text.
 */
export function readCanonicalLine(
  sink: MessageSink,
  clock: TimestampParser,
  file: string,
  b: Uint8Array,
  pos: number,
  end: number,
  line: number,
  withReason: boolean,
): number {
  const ts = clock.parseField(b, pos, end);
  if (Number.isNaN(ts)) return FALLBACK;
  const sessionStart = clock.end + 1;
  const sessionEnd = field(b, sessionStart, end);
  if (b[sessionEnd] !== COMMA || sessionEnd === sessionStart) return FALLBACK;
  const shopStart = sessionEnd + 1;
  const shopEnd = field(b, shopStart, end);
  if (b[shopEnd] !== COMMA) return FALLBACK;
  const customerStart = shopEnd + 1;
  const customerEnd = field(b, customerStart, end);
  if (b[customerEnd] !== COMMA) return FALLBACK;
  const agentStart = customerEnd + 1;
  const agentEnd = field(b, agentStart, end);
  if (b[agentEnd] !== COMMA) return FALLBACK;
  let at = agentEnd + 1;
  let from: number;
  switch (b[at]) {
    case 99: // customer
      if (four(b, at) !== CUST || four(b, at + 4) !== OMER || b[at + 8] !== COMMA) return FALLBACK;
      from = FROM.customer;
      at += 9;
      break;
    case 97: // agent, auto
      if (four(b, at) === AGEN && b[at + 4] === T && b[at + 5] === COMMA) {
        from = FROM.agent;
        at += 6;
      } else if (four(b, at) === AUTO && b[at + 4] === COMMA) {
        from = FROM.auto;
        at += 5;
      } else return FALLBACK;
      break;
    case 115: // system
      if (four(b, at) !== SYST || b[at + 4] !== E || b[at + 5] !== M || b[at + 6] !== COMMA) return FALLBACK;
      from = FROM.system;
      at += 7;
      break;
    default:
      return FALLBACK;
  }
  let event: number;
  switch (b[at]) {
    case COMMA:
      event = EVENT.message;
      at += 1;
      break;
    case 109:
      if (four(b, at) !== MESS || four(b, at + 4) !== MESSAGE_END) return FALLBACK;
      event = EVENT.message;
      at += 8;
      break;
    case 99:
      if (four(b, at) !== CLOS || b[at + 4] !== E || b[at + 5] !== COMMA) return FALLBACK;
      event = EVENT.close;
      at += 6;
      break;
    case 116:
      if (four(b, at) !== TRAN || four(b, at + 4) !== SFER || b[at + 8] !== COMMA) return FALLBACK;
      event = EVENT.transfer;
      at += 9;
      break;
    case 108:
      if (
        four(b, at) !== LEAV ||
        four(b, at + 4) !== E_ME ||
        four(b, at + 8) !== SSAG ||
        b[at + 12] !== E ||
        b[at + 13] !== COMMA ||
        from !== FROM.customer
      )
        return FALLBACK;
      event = EVENT.leave_message;
      at += 14;
      break;
    default:
      return FALLBACK;
  }
  const toStart = at;
  const toEnd = field(b, toStart, end);
  if (b[toEnd] !== COMMA) return FALLBACK;
  if (event === EVENT.transfer && toEnd === toStart) return FALLBACK;
  let note = 0;
  let textStart = toEnd + 1;
  if (withReason) {
    const reasonEnd = field(b, textStart, end);
    if (b[reasonEnd] !== COMMA) return FALLBACK;
    if (event === EVENT.transfer && isCustomerRequest(b, textStart, reasonEnd)) note = REQUESTED_TRANSFER;
    textStart = reasonEnd + 1;
  }
  // The text runs to the line feed. A quoted one (an auto-reply with a comma: one line in eight)
  // is taken here when it closes just before the line feed and holds no line break; anything
  // else in quotes goes to the general reader, which also reports what is wrong.
  const lf = b.indexOf(LF, textStart);
  if (lf < 0 || lf >= end) return FALLBACK;
  let textEnd = lf > textStart && b[lf - 1] === CR ? lf - 1 : lf;
  if (b[textStart] === QUOTE) {
    textEnd = closingQuote(b, textStart, textEnd - 1);
    if (textEnd < 0) return FALLBACK;
    textStart++;
  }

  const session = sink.internSession(b, sessionStart, sessionEnd);
  const agent = agentEnd > agentStart ? sink.internAgent(session, b, agentStart, agentEnd) : -1;
  const toAgent = event === EVENT.transfer ? sink.internAgent(-1, b, toStart, toEnd) : -1;
  const shop = sink.internShop(session, b, shopStart, shopEnd);
  const customer =
    customerEnd > customerStart && sink.needsCustomer(session)
      ? sink.internCustomer(session, shop, b, customerStart, customerEnd)
      : -1;
  if (from === FROM.agent && event === EVENT.message) note = sink.matchPhrase(shop, b, textStart, textEnd);
  const refused = sink.addMessage(
    line,
    session,
    ts,
    kindOf(from, event),
    agent,
    toAgent,
    note,
    shop,
    customer,
  );
  if (refused) sink.problem(file, line, refused);
  return lf + 1;
}
