/**
 * One agent-day of generated conversations: the honest shape (waits from a lognormal, genuine
 * two-part answers, an unpunctuated "亲" now and then, thanks, invitations after service,
 * transfers, a silent customer chased twice) with a `Tilt` that plants one kind of gaming at a
 * given strength. Pure: the caller's `random` decides everything.
 */
import type { Conversation, ConversationMessage } from "../../engine/conversation.ts";
import { normal, pick, poisson, type Random, uniform } from "./random.ts";
import { type TalkProfile, talkProfileOf } from "./talk-profile.ts";
import * as say from "./talk-texts.ts";

/** What the demo (and the bench) hands a style for one agent-day. */
export interface StyleContext {
  shop: string;
  agent: string;
  /** Shop-local day, YYYY-MM-DD (Asia/Shanghai). */
  day: string;
  /** Which of the agent's days this is (any number that keeps session ids apart). */
  index: number;
  random: () => number;
}

/** An agent's way of talking: the conversations of one agent-day. */
export type ConversationStyle = (ctx: StyleContext) => Conversation[];

/** How a gaming agent departs from their honest self; zero everywhere is honest. */
export interface Tilt {
  /** Per answer: cut into 2–3 unpunctuated fragments seconds apart (拆句, seed 004). */
  splitRate: number;
  /** Per conversation: the first reply held until just under 30 s. */
  firstReplyHoldRate: number;
  /** Per conversation: the silent customer pinged 2–4 times to keep the session open. */
  keptOpenRate: number;
  /** Per conversation: handed on just before the customer's wait reaches 30 s (or 3 min). */
  nearLimitTransferRate: number;
  /** Per conversation: a guidance line (给个五星好评…). */
  guidanceRate: number;
  /** Invitations to customers who end happy, and the factor for everyone else. */
  happyInviteRate?: number;
  otherInviteFactor?: number;
  /** Invitation factors outside and inside the month's last five days. */
  monthEnd?: { restFactor: number; tailFactor: number };
}

export const HONEST: Tilt = {
  splitRate: 0,
  firstReplyHoldRate: 0,
  keptOpenRate: 0,
  nearLimitTransferRate: 0,
  guidanceRate: 0,
};

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const S = 1000;

function dayStartMs(day: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET_MS;
}

function inMonthTail(day: string): boolean {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const lastOfMonth = (Date.UTC(y, m, 1) - Date.UTC(y, m - 1, 1)) / 86_400_000;
  return d > lastOfMonth - 5;
}

const lognormal = (r: Random, medianS: number, sigma: number) => medianS * Math.exp(sigma * normal(r)) * S;

/** A sentence cut where a typist would: at its first comma, else mid-way; 2 or 3 pieces. */
function fragmentsOf(r: Random, text: string): string[] {
  const bare = text.replace(/[。！？!?～~]+$/u, "");
  const cut = (s: string): [string, string] => {
    const comma = s.search(/[，,]/);
    if (comma > 0 && comma < s.length - 1) return [s.slice(0, comma), s.slice(comma + 1)];
    const at = Math.max(2, Math.min(s.length - 2, Math.floor(uniform(r, 0.35, 0.65) * s.length)));
    return [s.slice(0, at), s.slice(at)];
  };
  const [head, rest] = cut(bare);
  if (rest.length > 8 && r() < 0.4) return [head, ...cut(rest)];
  return [head, rest];
}

class Talk {
  readonly messages: ConversationMessage[] = [];
  constructor(
    readonly agent: string,
    public t: number,
  ) {}
  customer(text: string): void {
    this.messages.push({ at: this.t, from: "customer", event: "message", text });
  }
  agentSays(text: string): void {
    this.messages.push({ at: this.t, from: "agent", agent: this.agent, event: "message", text });
  }
  event(event: "invite" | "close" | "transfer", extra: Partial<ConversationMessage> = {}): void {
    const from = event === "close" ? "system" : "agent";
    this.messages.push({
      at: this.t,
      from,
      agent: this.agent,
      event,
      text: event === "invite" ? "邀请评价" : "",
      ...extra,
    });
  }
  wait(ms: number): void {
    this.t += Math.max(300, Math.round(ms));
  }
}

function answer(talk: Talk, r: Random, text: string, profile: TalkProfile, tilt: Tilt): void {
  if (r() < tilt.splitRate) {
    fragmentsOf(r, text).forEach((piece, i) => {
      if (i > 0) talk.wait(uniform(r, 1, 4.5) * S);
      talk.agentSays(piece);
    });
    return;
  }
  if (r() < profile.openerRate) {
    talk.agentSays(pick(r, say.HONEST_OPENERS));
    talk.wait(uniform(r, 1, 3) * S);
  }
  talk.agentSays(text);
  if (r() < profile.multipartRate) {
    talk.wait(uniform(r, 5, 20) * S);
    // Something more, not the same answer again.
    talk.agentSays(
      pick(
        r,
        say.ANSWERS.filter((more) => more !== text),
      ),
    );
  }
}

type Ending = "positive" | "negative" | "neutral" | "silent";

function conversationOf(
  ctx: StyleContext,
  n: number,
  startAt: number,
  profile: TalkProfile,
  tilt: Tilt,
  inviteDay: number,
): Conversation {
  const r = ctx.random;
  const talk = new Talk(ctx.agent, startAt);
  const roll = r();
  const ending: Ending =
    roll < profile.positiveEndings
      ? "positive"
      : roll < profile.positiveEndings + profile.negativeEndings
        ? "negative"
        : r() < 0.5
          ? "neutral"
          : "silent";
  const complaint = ending === "negative" ? r() < 0.7 : r() < 0.08;
  talk.customer(complaint ? pick(r, say.COMPLAINTS) : pick(r, say.QUESTIONS));
  const base: Conversation = {
    shop: ctx.shop,
    session: `${ctx.agent}-${ctx.day}-${ctx.index}-${n}`,
    customer: `c${Math.floor(r() * 1e9)}`,
    agent: ctx.agent,
    day: ctx.day,
    messages: talk.messages,
  };

  const nearLimit = r() < tilt.nearLimitTransferRate;
  if (nearLimit || r() < profile.transferRate) {
    if (nearLimit) talk.wait((r() < 0.8 ? uniform(r, 25.5, 29.6) : uniform(r, 168, 179)) * S);
    else {
      talk.wait(lognormal(r, 30, 0.8));
      // Most honest agents say why before they transfer; the customer is then not waiting.
      if (r() < 0.5) {
        talk.agentSays(pick(r, say.TRANSFER_NOTES));
        talk.wait(uniform(r, 2, 10) * S);
      }
    }
    talk.event("transfer", { toAgent: `${ctx.agent}-colleague` });
    talk.wait(uniform(r, 60, 300) * S);
    talk.event("close");
    return base;
  }

  const turns = 1 + poisson(r, 1.5);
  for (let k = 0; k < turns; k++) {
    if (k > 0) {
      talk.wait(uniform(r, 8, 60) * S);
      talk.customer(pick(r, say.FOLLOW_UPS));
    }
    const held = k === 0 && r() < tilt.firstReplyHoldRate;
    talk.wait(
      held
        ? uniform(r, 25.2, 29.8) * S
        : lognormal(r, k === 0 ? profile.firstReplyMedianS : profile.replyMedianS, profile.replySigma),
    );
    answer(talk, r, complaint && k === 0 ? pick(r, say.APOLOGIES) : pick(r, say.ANSWERS), profile, tilt);
  }
  if (ending !== "silent") {
    talk.wait(uniform(r, 10, 60) * S);
    const lines =
      ending === "positive"
        ? say.POSITIVE_ENDINGS
        : ending === "negative"
          ? say.NEGATIVE_ENDINGS
          : say.NEUTRAL_ENDINGS;
    talk.customer(pick(r, lines));
    if (ending === "positive" && r() < 0.1) {
      talk.wait(uniform(r, 3, 15) * S);
      talk.customer(pick(r, say.CUSTOMER_PRAISE));
    }
    talk.wait(lognormal(r, profile.replyMedianS, profile.replySigma));
    talk.agentSays(
      talk.messages.at(-1)!.text.includes("好评") ? pick(r, say.THANKS_FOR_PRAISE) : pick(r, say.CLOSINGS),
    );
  }
  if (r() < tilt.guidanceRate) {
    talk.wait(uniform(r, 3, 10) * S);
    talk.agentSays(pick(r, say.GUIDANCE_LINES));
  }

  const happy = ending === "positive";
  let inviteP = happy
    ? (tilt.happyInviteRate ?? profile.inviteRate)
    : profile.inviteRate *
      (tilt.otherInviteFactor ?? (ending === "negative" ? profile.unhappyInviteFactor : 1));
  inviteP *= inviteDay;
  const invited = r() < Math.min(0.97, inviteP);
  if (invited) {
    talk.wait(uniform(r, 5, 20) * S);
    talk.event("invite");
  }

  const keptOpen = r() < tilt.keptOpenRate;
  if (keptOpen || (ending === "silent" && r() < profile.pingRate * 4)) {
    const pings = keptOpen ? 2 + Math.floor(r() * 3) : 2;
    for (let p = 0; p < pings; p++) {
      talk.wait(uniform(r, 80, 200) * S);
      talk.agentSays(pick(r, say.PINGS));
    }
  }
  talk.wait(uniform(r, 60, 240) * S);
  talk.event("close");

  const rated = r() < (invited ? 0.5 : 0.05);
  if (rated) {
    const score = happy
      ? r() < 0.8
        ? 5
        : 4
      : ending === "negative"
        ? 1 + Math.floor(r() * 3)
        : 3 + Math.floor(r() * 3);
    base.rating = { score, at: talk.t };
  }
  return base;
}

/** The agent-day's conversations with the tilt applied (HONEST for an honest agent). */
export function talkDay(ctx: StyleContext, tilt: Tilt = HONEST, seed = 1): Conversation[] {
  const r = ctx.random;
  const profile = talkProfileOf(ctx.agent, seed);
  const count = Math.max(5, Math.round(profile.receptionsPerDay * Math.max(0.5, normal(r, 1, 0.15))));
  const tail = inMonthTail(ctx.day);
  const monthFactor = tilt.monthEnd
    ? tail
      ? tilt.monthEnd.tailFactor
      : tilt.monthEnd.restFactor
    : tail
      ? profile.monthEndInviteFactor
      : 1;
  const inviteDay = monthFactor * Math.max(0.6, normal(r, 1, 0.08));
  const dayStart = dayStartMs(ctx.day) + 9 * 3_600_000;
  const starts = Array.from({ length: count }, () => dayStart + Math.floor(r() * 9 * 3_600_000)).sort(
    (a, b) => a - b,
  );
  return starts.map((at, n) => conversationOf(ctx, n, at, profile, tilt, inviteDay));
}
