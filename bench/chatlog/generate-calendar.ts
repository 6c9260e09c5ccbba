/**
 * Time for the chat-log generator: the shops' clock (+08:00), how busy each hour is (a daily
 * curve, Double 11 and its run-up), and fast timestamp text (10 M lines can't afford a Date each).
 */
export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** Every shop is in China: local time is UTC+08:00 all year (no daylight saving). */
export const LOCAL_OFFSET_MS = 8 * HOUR_MS;

/** Epoch ms of local midnight starting the day `date` (YYYY-MM-DD). */
export function localMidnight(date: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00+08:00`) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`start: ${JSON.stringify(date)} is not a date YYYY-MM-DD`);
  return ms;
}

/** Local hour of day (0–23) of epoch ms. */
export function localHour(ms: number): number {
  return Math.floor(((((ms + LOCAL_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/** Epoch ms of the next local `hour`:00 at or after `ms`. */
export function nextLocalHour(ms: number, hour: number): number {
  const local = ms + LOCAL_OFFSET_MS;
  let candidate = Math.floor(local / DAY_MS) * DAY_MS + hour * HOUR_MS;
  if (candidate < local) candidate += DAY_MS;
  return candidate - LOCAL_OFFSET_MS;
}

const localDates = new Map<number, string>();

/** Local YYYY-MM-DD of epoch ms (remembered by day: it is asked for every session and order). */
export function localDate(ms: number): string {
  const day = Math.floor((ms + LOCAL_OFFSET_MS) / DAY_MS);
  let date = localDates.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    localDates.set(day, date);
  }
  return date;
}

/**
 * Relative chat volume by local hour: quiet at night, a morning peak 10–12 and the evening peak
 * 20–23 when people shop after work.
 */
const HOUR_CURVE = [
  0.55, 0.3, 0.14, 0.07, 0.05, 0.05, 0.1, 0.25, 0.55, 0.9, 1.3, 1.35, 1.0, 0.95, 1.1, 1.1, 1.0, 0.9, 0.85,
  0.95, 1.3, 1.45, 1.5, 1.15,
];

/**
 * Days busier than usual (MM-DD): the first Double 11 wave opens 11-01, the main one at 11-11
 * 00:00 (11-10 evening is the final-payment rush), after-sales questions follow.
 */
const DAY_FACTORS: Record<string, number> = {
  "10-31": 1.3,
  "11-01": 2.0,
  "11-02": 1.3,
  "11-09": 1.3,
  "11-10": 3.0,
  "11-11": 5.0,
  "11-12": 1.8,
  "11-13": 1.3,
};

/** Hours with their own rush (MM-DD hh): the midnight openings and the evening before. */
const HOUR_FACTORS: Record<string, number> = {
  "10-31 20": 1.5,
  "10-31 21": 1.4,
  "11-01 00": 2.5,
  "11-01 01": 1.8,
  "11-10 20": 1.5,
  "11-10 21": 1.5,
  "11-10 22": 1.6,
  "11-10 23": 2.0,
  "11-11 00": 3.5,
  "11-11 01": 2.5,
  "11-11 02": 1.8,
};

/** How much busier than a normal day the local day starting at `dayStart` is. */
export function dayFactor(dayStart: number): number {
  const date = new Date(dayStart + LOCAL_OFFSET_MS);
  const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6 ? 1.1 : 1;
  return (DAY_FACTORS[localDate(dayStart).slice(5)] ?? 1) * weekend;
}

/** Relative session volume of each hour from `start` over `days` days. */
export function hourWeights(start: number, days: number): Float64Array {
  const weights = new Float64Array(days * 24);
  for (let day = 0; day < days; day++) {
    const dayStart = start + day * DAY_MS;
    const monthDay = localDate(dayStart).slice(5);
    const factor = dayFactor(dayStart);
    for (let hour = 0; hour < 24; hour++) {
      const rush = HOUR_FACTORS[`${monthDay} ${String(hour).padStart(2, "0")}`] ?? 1;
      weights[day * 24 + hour] = factor * HOUR_CURVE[hour]! * rush;
    }
  }
  return weights;
}

/** How a timestamp is written: exports mix `T` and a space, with or without milliseconds. */
export const TimeStyle = {
  IsoMillis: 0, // 2026-11-11T20:15:03.120+08:00
  SpaceMillis: 1, // 2026-11-11 20:15:03.120+08:00
  SpaceSeconds: 2, // 2026-11-11 20:15:03+08:00 (the time itself is a whole second)
} as const;
export type TimeStyle = (typeof TimeStyle)[keyof typeof TimeStyle];

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/** Formats epoch ms as local +08:00 text, caching the date part of the day last seen. */
export class TimestampFormatter {
  private day = Number.NaN;
  private isoPrefix = "";
  private spacePrefix = "";

  format(ms: number, style: TimeStyle): string {
    const local = ms + LOCAL_OFFSET_MS;
    const day = Math.floor(local / DAY_MS);
    if (day !== this.day) this.enterDay(day);
    let rest = local - day * DAY_MS;
    const hours = Math.floor(rest / HOUR_MS);
    rest -= hours * HOUR_MS;
    const minutes = Math.floor(rest / MINUTE_MS);
    rest -= minutes * MINUTE_MS;
    const seconds = Math.floor(rest / SECOND_MS);
    const millis = rest - seconds * SECOND_MS;
    const clock = `${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}`;
    if (style === TimeStyle.IsoMillis) return `${this.isoPrefix}${clock}.${PAD3[millis]}+08:00`;
    if (style === TimeStyle.SpaceMillis) return `${this.spacePrefix}${clock}.${PAD3[millis]}+08:00`;
    return `${this.spacePrefix}${clock}+08:00`;
  }

  private enterDay(day: number): void {
    this.day = day;
    const date = localDate(day * DAY_MS - LOCAL_OFFSET_MS);
    this.isoPrefix = `${date}T`;
    this.spacePrefix = `${date} `;
  }
}

/** The longest timestamp text: 2026-11-11T20:15:03.120+08:00. */
export const MAX_TIMESTAMP_BYTES = 29;
const ZERO = 48;
const ASCII = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
const OFFSET_BYTES = ASCII("+08:00");

/** Writes the same text as TimestampFormatter straight into a byte buffer (no string per line). */
export class TimestampWriter {
  private day = Number.NaN;
  private readonly date = new Uint8Array(10);

  /** Writes `ms` in `style` at `pos` of `buffer` (MAX_TIMESTAMP_BYTES at most); returns the position after it. */
  write(buffer: Uint8Array, pos: number, ms: number, style: TimeStyle): number {
    const local = ms + LOCAL_OFFSET_MS;
    const day = Math.floor(local / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.date.set(ASCII(new Date(day * DAY_MS).toISOString().slice(0, 10)));
    }
    let rest = local - day * DAY_MS;
    const hours = Math.floor(rest / HOUR_MS);
    rest -= hours * HOUR_MS;
    const minutes = Math.floor(rest / MINUTE_MS);
    rest -= minutes * MINUTE_MS;
    const seconds = Math.floor(rest / SECOND_MS);
    const millis = rest - seconds * SECOND_MS;
    buffer.set(this.date, pos);
    let at = pos + 10;
    buffer[at++] = style === TimeStyle.IsoMillis ? 84 /* T */ : 32 /* space */;
    at = twoDigits(buffer, at, hours);
    buffer[at++] = 58; // :
    at = twoDigits(buffer, at, minutes);
    buffer[at++] = 58;
    at = twoDigits(buffer, at, seconds);
    if (style !== TimeStyle.SpaceSeconds) {
      buffer[at++] = 46; // .
      buffer[at++] = ZERO + Math.floor(millis / 100);
      buffer[at++] = ZERO + (Math.floor(millis / 10) % 10);
      buffer[at++] = ZERO + (millis % 10);
    }
    buffer.set(OFFSET_BYTES, at);
    return at + OFFSET_BYTES.length;
  }
}

function twoDigits(buffer: Uint8Array, at: number, value: number): number {
  buffer[at] = ZERO + Math.floor(value / 10);
  buffer[at + 1] = ZERO + (value % 10);
  return at + 2;
}
