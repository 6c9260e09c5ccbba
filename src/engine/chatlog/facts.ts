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

const WAIT = 0;
const PHRASE = 1;
const ENDED_BY = ["reply", "close", "end-of-data"] as const;

/** Names and clocks to turn kept facts into ChatFacts at the end. */
export interface FactNames {
  session(id: number): string;
  shopOf(session: number): number;
  shop(id: number): string;
  customerOf(session: number): string | null;
  agent(id: number): string | null;
  local(shop: number): (ms: number) => number;
  phrase(index: number): string;
  dataEnd: number;
}

/**
 * Long waits and forbidden phrases found while reading, kept as numbers (six per fact) and
 * named only at the end: a busy log has tens of thousands of them.
 */
export class SessionFacts {
  private data = new Float64Array(6 * 1024);
  private size = 0;

  longWait(
    session: number,
    agent: number,
    runStart: number,
    waitMs: number,
    endedBy: "reply" | "close" | "end",
  ): void {
    this.push(WAIT, session, agent, runStart, waitMs, endedBy === "reply" ? 0 : endedBy === "close" ? 1 : 2);
  }

  phrase(session: number, agent: number, at: number, phrase: number): void {
    this.push(PHRASE, session, agent, at, 0, phrase);
  }

  private push(kind: number, session: number, agent: number, ms: number, wait: number, extra: number): void {
    if ((this.size + 1) * 6 > this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const at = this.size * 6;
    this.data[at] = kind;
    this.data[at + 1] = session;
    this.data[at + 2] = agent;
    this.data[at + 3] = ms;
    this.data[at + 4] = wait;
    this.data[at + 5] = extra;
    this.size++;
  }

  dump(): { data: Float64Array; size: number } {
    return { data: this.data.slice(0, this.size * 6), size: this.size };
  }

  /** Facts kept by another part, to name with that part's names. */
  static from(dump: { data: Float64Array; size: number }): SessionFacts {
    const facts = new SessionFacts();
    facts.data = dump.data.length ? dump.data.slice() : new Float64Array(6);
    facts.size = dump.size;
    return facts;
  }

  named(n: FactNames): ChatFact[] {
    const out: ChatFact[] = [];
    for (let i = 0; i < this.size; i++) {
      const d = this.data.subarray(i * 6, i * 6 + 6);
      const session = d[1]!;
      const shopId = n.shopOf(session);
      const base = {
        shop: n.shop(shopId),
        agent: n.agent(d[2]!),
        session: n.session(session),
        customer: n.customerOf(session),
        at: formatLocal(d[3]!, n.local(shopId)),
      };
      if (d[0] === PHRASE) out.push({ kind: "forbidden_phrase", ...base, phrase: n.phrase(d[5]!) });
      else {
        const wait = Number.isNaN(d[4]!) ? n.dataEnd - d[3]! : d[4]!;
        out.push({
          kind: "long_wait",
          ...base,
          waitSeconds: Math.round(wait / 100) / 10,
          endedBy: ENDED_BY[d[5]!]!,
        });
      }
    }
    return out;
  }
}
