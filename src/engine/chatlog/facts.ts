import { copyBytes, grow } from "./bytes.ts";
import type { PhraseOrigin, PhraseRule } from "./phrase-rules.ts";

/**
 * The raw facts behind a bad number, for the nudges: which session waited too long, which reply
 * used a forbidden phrase, which rating must be reviewed, which bad review needs a call within 24 h.
 * Times are shop-local ISO-8601 with their offset.
 */
export type ChatFact =
  | {
      kind: "long_wait";
      shop: string;
      agent: string | null;
      session: string;
      customer: string | null;
      at: string;
      /** Seconds waited; for a run still waiting at the end of the data, until then. */
      waitSeconds: number;
      endedBy: "reply" | "close" | "end-of-data";
    }
  | {
      kind: "forbidden_phrase";
      shop: string;
      agent: string | null;
      session: string;
      customer: string | null;
      at: string;
      phrase: string;
      /** The sentence around the phrase (at most 60 characters), so the agent sees why. */
      sentence: string;
      /** Whose rule it is: the documents', the suggested list's, or the shop's own. */
      origin: PhraseOrigin;
    }
  | { kind: "low_rating"; shop: string; agent: string; session: string; score: number; at: string }
  | {
      kind: "bad_review";
      shop: string;
      agent: string | null;
      order: string;
      customer: string;
      at: string;
      text: string;
      /** The customer must be contacted by then [000]. */
      followUpBy: string;
    };

/** Shop-local ISO-8601 with offset: 2026-11-11T09:00:01.000+08:00. */
export function formatLocal(ms: number, localTime: (ms: number) => number): string {
  const local = localTime(ms);
  const offsetMinutes = Math.round((local - ms) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return new Date(local).toISOString().replace("Z", offset);
}

/** Bytes of an id: [bytes, offset, length]; length -1 for none. */
export type Bytes = [Uint8Array, number, number];

const WAIT = 0;
const PHRASE = 1;
const ENDED_BY = ["reply", "close", "end-of-data"] as const;

/** Names and clocks to turn kept facts into ChatFacts at the end. */
export interface FactNames {
  shop(id: number): string;
  agent(id: number): string | null;
  local(shop: number): (ms: number) => number;
  phrase(index: number): PhraseRule;
  dataEnd: number;
}

export interface FactsDump {
  /**
   * INTS numbers a fact: kind, name offset and length, customer offset and length, shop, agent,
   * extra, and the offset and length of its text (a phrase hit's sentence; -1: none).
   */
  ints: Int32Array;
  /** TIMES numbers a fact: the time, and the wait (NaN: until the end of the data). */
  times: Float64Array;
  size: number;
  names: Uint8Array;
}

const INTS = 10;
const TIMES = 2;
const FACTS_AT_START = 1 << 16;

/**
 * Long waits and forbidden phrases found while reading, kept as numbers (and the session id's
 * bytes) and named only at the end: a busy log has hundreds of thousands of them.
 */
export class SessionFacts {
  // Room for tens of thousands of facts from the start (a busy log has that many, and growing
  // copies): untouched pages are not memory the process holds.
  private ints = new Int32Array(INTS * FACTS_AT_START);
  private times = new Float64Array(TIMES * FACTS_AT_START);
  private size = 0;
  private names = new Uint8Array(FACTS_AT_START * 32);
  private namesUsed = 0;

  /** `session` and `customer` are ids' bytes: [bytes, offset, length] (length -1: no customer). */
  longWait(
    session: Bytes,
    customer: Bytes,
    shop: number,
    agent: number,
    runStart: number,
    waitMs: number,
    endedBy: "reply" | "close" | "end",
  ): void {
    this.push(
      WAIT,
      session,
      customer,
      shop,
      agent,
      runStart,
      waitMs,
      endedBy === "reply" ? 0 : endedBy === "close" ? 1 : 2,
    );
  }

  phrase(
    session: Bytes,
    customer: Bytes,
    shop: number,
    agent: number,
    at: number,
    rule: number,
    sentence: string,
  ): void {
    this.push(PHRASE, session, customer, shop, agent, at, 0, rule);
    const text = this.encoder.encode(sentence);
    const i = (this.size - 1) * INTS;
    this.ints[i + 8] = this.keep([text, 0, text.length]);
    this.ints[i + 9] = text.length;
  }

  private readonly encoder = new TextEncoder();

  private keep([bytes, offset, length]: Bytes): number {
    if (length < 0) return -1;
    if (this.namesUsed + length > this.names.length) {
      const bigger = new Uint8Array(Math.max(this.names.length * 2, this.namesUsed + length));
      bigger.set(this.names);
      this.names = bigger;
    }
    copyBytes(bytes, offset, offset + length, this.names, this.namesUsed);
    this.namesUsed += length;
    return this.namesUsed - length;
  }

  private push(
    kind: number,
    session: Bytes,
    customer: Bytes,
    shop: number,
    agent: number,
    ms: number,
    wait: number,
    extra: number,
  ): void {
    if ((this.size + 1) * INTS > this.ints.length) {
      this.ints = grow(this.ints, (this.size + 1) * INTS);
      this.times = grow(this.times, (this.size + 1) * TIMES);
    }
    const i = this.size * INTS;
    const d = this.ints;
    d[i] = kind;
    d[i + 1] = this.keep(session);
    d[i + 2] = session[2];
    d[i + 3] = this.keep(customer);
    d[i + 4] = customer[2];
    d[i + 5] = shop;
    d[i + 6] = agent;
    d[i + 7] = extra;
    d[i + 8] = -1;
    d[i + 9] = -1;
    this.times[this.size * TIMES] = ms;
    this.times[this.size * TIMES + 1] = wait;
    this.size++;
  }

  dump(): FactsDump {
    return {
      ints: this.ints.subarray(0, this.size * INTS),
      times: this.times.subarray(0, this.size * TIMES),
      size: this.size,
      names: this.names.subarray(0, this.namesUsed),
    };
  }

  /** Facts kept by a part, named with that part's names. */
  static named(dump: FactsDump, n: FactNames): ChatFact[] {
    const decoder = new TextDecoder();
    const out: ChatFact[] = [];
    for (let k = 0; k < dump.size; k++) {
      const d = dump.ints.subarray(k * INTS, k * INTS + INTS);
      const at = dump.times[k * TIMES]!;
      const waited = dump.times[k * TIMES + 1]!;
      const text = (offset: number, length: number) =>
        length < 0 ? null : decoder.decode(dump.names.subarray(offset, offset + length));
      const shopId = d[5]!;
      const base = {
        shop: n.shop(shopId),
        agent: n.agent(d[6]!),
        session: text(d[1]!, d[2]!)!,
        customer: text(d[3]!, d[4]!),
        at: formatLocal(at, n.local(shopId)),
      };
      if (d[0] === PHRASE) {
        const rule = n.phrase(d[7]!);
        const sentence = text(d[8]!, d[9]!) ?? "";
        out.push({ kind: "forbidden_phrase", ...base, phrase: rule.phrase, sentence, origin: rule.origin });
      } else {
        const wait = Number.isNaN(waited) ? n.dataEnd - at : waited;
        out.push({
          kind: "long_wait",
          ...base,
          waitSeconds: Math.round(wait / 100) / 10,
          endedBy: ENDED_BY[d[7]!]!,
        });
      }
    }
    return out;
  }
}
