import type { FollowUpMessages } from "./follow-up-messages.ts";

/** "还剩 2小时" / "overdue by 25 h 10 min": how long until (or since) a deadline. */
export function timeLeft(ms: number, f: FollowUpMessages): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const hours = Math.floor(minutes / 60);
  const duration =
    hours > 48 ? f.duration(Math.floor(hours / 24), hours % 24, 0) : f.duration(0, hours, minutes % 60);
  return ms > 0 ? f.left(duration) : f.overdue(duration);
}
