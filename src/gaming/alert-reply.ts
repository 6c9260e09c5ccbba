import { BUTTONS_PER_MESSAGE } from "../chat/button-room.ts";
import type { ChatPlatform } from "../chat/caller.ts";
import type { Reply, ReplyBlock } from "../chat/reply.ts";
import type { GamingFinding } from "../engine/index.ts";
import { isGamingKind } from "../engine/index.ts";
import type { Lang } from "../i18n/index.ts";
import { type GamingMessages, gamingMessagesFor } from "./gaming-messages.ts";

/**
 * A gaming alert as a supervisor reads it: who, which week, what kind, one line of evidence with
 * the numbers, two examples (sessions and what was said or how long the wait was), and the
 * "没问题 / Fine" button (`gaming:fine`, value the alert's id).
 */

export interface AlertView {
  id: number;
  agentName: string;
  week: string;
  kind: string;
  finding: GamingFinding;
}

export const FINE_ACTION = "gaming:fine";

const clip = (text: string, max = 40) =>
  [...text].length > max ? `${[...text].slice(0, max - 1).join("")}…` : text;

function exampleText(example: Record<string, unknown>): string {
  const session = typeof example.session === "string" ? example.session : undefined;
  const parts: string[] = [];
  if (typeof example.first === "string" && typeof example.second === "string")
    parts.push(`"${clip(example.first, 16)}" | "${clip(example.second, 16)}"`);
  else if (typeof example.text === "string") parts.push(`"${clip(example.text)}"`);
  if (typeof example.firstReplyMs === "number") parts.push(`${(example.firstReplyMs / 1000).toFixed(1)} s`);
  if (typeof example.waitMs === "number") parts.push(`${(example.waitMs / 1000).toFixed(1)} s`);
  if (typeof example.pings === "number" && typeof example.tailMs === "number")
    parts.push(`${example.pings} × ping, ${Math.round(example.tailMs / 60_000)} min`);
  if (typeof example.mood === "string") parts.push(example.mood);
  if (Array.isArray(example.days)) parts.push(`${String(example.metric ?? "")} ${example.days.join(", ")}`);
  if (typeof example.from === "string" && typeof example.to === "string")
    parts.push(`${example.from} ~ ${example.to}`);
  return [session, ...parts].filter(Boolean).join(": ");
}

export function alertBlocks(alert: AlertView, m: GamingMessages, withButton: boolean): ReplyBlock[] {
  const kindName = isGamingKind(alert.kind) ? m.kind[alert.kind] : alert.kind;
  const blocks: ReplyBlock[] = [
    { kind: "heading", text: m.alertLine(alert.id, alert.agentName, alert.week, kindName) },
    { kind: "text", text: m.evidence(alert.finding.rule, alert.finding.numbers) },
  ];
  const examples = alert.finding.examples
    .slice(0, 2)
    .map(exampleText)
    .filter((e) => e !== "");
  if (examples.length > 0) blocks.push({ kind: "note", text: `${m.example}: ${examples.join("；")}` });
  if (withButton)
    blocks.push({
      kind: "actions",
      actions: [{ id: FINE_ACTION, label: m.fineButton, value: String(alert.id) }],
    });
  return blocks;
}

/** The weekly message to one supervisor: every alert given, each with its button. */
export function gamingAlertReply(alerts: readonly AlertView[], lang: Lang): Reply {
  const m = gamingMessagesFor(lang);
  return {
    title: m.title(alerts.length),
    blocks: [{ kind: "text", text: m.intro }, ...alerts.flatMap((a) => alertBlocks(a, m, true))],
  };
}

/** Alerts cut into messages that fit the platform's buttons (DingTalk: five, one per alert). */
export function alertsPerMessage<T>(alerts: readonly T[], platform: ChatPlatform): T[][] {
  const room = BUTTONS_PER_MESSAGE[platform];
  const size = Number.isFinite(room) ? room : Math.max(1, alerts.length);
  const chunks: T[][] = [];
  for (let i = 0; i < alerts.length; i += size) chunks.push(alerts.slice(i, i + size));
  return chunks;
}
