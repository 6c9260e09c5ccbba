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
  | { kind: "forbidden_phrase"; shop: string; agent: string | null; session: string; customer: string | null; at: string; phrase: string }
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
