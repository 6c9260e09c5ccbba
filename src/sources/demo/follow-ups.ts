import { streamOf } from "./random.ts";

/**
 * What the demo team did about its past bad reviews: most were followed up within the day, as a
 * working team's are, so the demo's digests and escalations show a handful of open ones rather
 * than three months of them. Decided from the review's key (the platform's own id of it), not
 * its row id: a load killed half-way leaves row ids drawn, and the load run again must decide the
 * same for every review as a load never killed.
 */

export type DemoOutcome =
  | { outcome: "contacted" | "recovered" | "unreachable"; afterHours: number }
  | undefined;

/** Followed up: 93%; of those, recovered 45%, contacted 40%, unreachable 15%; after 1–20 hours. */
export function demoFollowUp(factKey: string): DemoOutcome {
  const rng = streamOf(hashOf(factKey), 0xf011);
  if (rng() >= 0.93) return undefined;
  const roll = rng();
  const outcome = roll < 0.45 ? "recovered" : roll < 0.85 ? "contacted" : "unreachable";
  return { outcome, afterHours: 1 + Math.floor(rng() * 20) };
}

/** FNV-1a of the key's UTF-16 units: a 32-bit seed. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
