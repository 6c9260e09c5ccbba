import { DURATION_UNITS } from "./cell-words.ts";

/**
 * Written durations: "1小时2分", "1分30秒", "90s", and clock times "00:01:30" / "01:30". Unit
 * words come largest first, each once.
 */

const unitWords = Object.keys(DURATION_UNITS).sort((a, b) => b.length - a.length);
const durationPart = new RegExp(`^(\\d+(?:\\.\\d+)?)(${unitWords.join("|")})`);

/** Reads a duration in seconds: "1小时2分", "1分30秒", "00:01:30", "01:30" (mm:ss). */
export function durationSeconds(text: string, clockWithoutHours: "mm:ss" | "hh:mm"): number | undefined {
  const clock = /^(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?$/.exec(text);
  if (clock) {
    const [a, b, c] = [Number(clock[1]), Number(clock[2]), clock[3]];
    if (b >= 60 || (c !== undefined && Number(c) >= 60)) return undefined;
    if (c !== undefined) return a * 3600 + b * 60 + Number(c);
    return clockWithoutHours === "mm:ss" ? a * 60 + b : a * 3600 + b * 60;
  }
  let total = 0;
  let lastFactor = Number.POSITIVE_INFINITY;
  let rest = text.toLowerCase();
  while (rest !== "") {
    const match = durationPart.exec(rest);
    if (!match) return undefined;
    const factor = DURATION_UNITS[match[2]!]!;
    if (factor >= lastFactor) return undefined;
    total += Number(match[1]) * factor;
    lastFactor = factor;
    rest = rest.slice(match[0].length);
  }
  return lastFactor === Number.POSITIVE_INFINITY ? undefined : total;
}
