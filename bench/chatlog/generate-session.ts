/**
 * One generated chat session, line by line: the customer's first run, the auto-reply greeting,
 * rounds of customer runs and agent replies (with the odd transfer or unanswered run), the
 * closing words and the close; or, at night, messages left for the morning shift.
 *
 * Lines of a session are strictly increasing in time (at least 1 ms apart): the SQL
 * cross-checks order a session by ts alone.
 */
import { HOUR_MS, localHour, MINUTE_MS, nextLocalHour, SECOND_MS, TimeStyle } from "./generate-calendar.ts";
import {
  type From,
  kindOf,
  type LineEvent,
  type SessionInfo,
  type SessionLines,
  type TransferReason,
} from "./generate-lines.ts";
import { type Agent, agentOnDuty, otherAgentOnDuty, type Shop } from "./generate-people.ts";
import { type Random, WeightedChoice } from "./generate-random.ts";
import {
  AGENT_CLOSERS,
  AGENT_CLOSES,
  AGENT_EXTRAS,
  AGENT_HANDOVER_NOTICES,
  AGENT_TRANSFER_NOTES,
  CUSTOMER_ASIDES,
  CUSTOMER_CLOSERS,
  CUSTOMER_FOLLOW_UPS,
  FORBIDDEN_REPLIES,
  LEAVE_MESSAGES,
  MORNING_REPLIES,
  NIGHT_AUTO_REPLIES,
  OPENERS,
  PRODUCTS,
  REQUESTED_TRANSFER_NOTES,
  SYSTEM_CLOSES,
  SYSTEM_ENTRIES,
  SYSTEM_TRANSFER_NOTES,
  type Text,
  type TextPool,
  TOPICS,
  type Topic,
  TRANSFER_GREETINGS,
} from "./generate-texts.ts";

export interface SessionOutcome {
  readonly lineCount: number;
  /** Time of the last line. */
  readonly end: number;
  /** Time of the close line, if the session was closed. */
  readonly closedAt: number | undefined;
  /** The agent serving at the end (undefined if none ever was). */
  readonly lastAgent: Agent | undefined;
  readonly topic: Topic["name"];
  /** Every customer run got a human reply. */
  readonly answered: boolean;
}

/** Shares and odds of the session's shape (per session, per run or per agent line). */
const SHARE = {
  systemEntry: 0.08,
  openerFirst: 0.55, // the first message is just 在吗/你好, the question follows
  autoGreeting: 0.85,
  transfer: 0.03,
  transferWithPendingRun: 0.5,
  transferBySystem: 0.4,
  /** Transfers the customer asked for (转人工, a supervisor): out of 转接率's numerator. */
  transferRequested: 0.3,
  unansweredRun: 0.012,
  moreRounds: 0.6,
  agentExtra: 0.3,
  forbiddenPhrase: 0.005,
  closingWords: 0.6,
  closeAnswered: 0.9,
  closeUnanswered: 0.6,
  closeByAgent: 0.4,
  leaveMessageAnswered: 0.92,
  nightAutoReply: 0.65,
  leaveMessageClose: 0.75,
  /** Night sessions left as messages: most of them, fewer on the Double 11 nights shops staff. */
  leaveMessage: 0.8,
  leaveMessageRushNight: 0.25,
};

const TOPIC_CHOICE = new WeightedChoice<Topic>(
  TOPICS.map((topic) => [
    topic,
    { presale: 0.4, shipping: 0.25, promotion: 0.2, aftersale: 0.15 }[topic.name],
  ]),
);

const STYLE_CHOICE = new WeightedChoice<TimeStyle>([
  [TimeStyle.IsoMillis, 0.9],
  [TimeStyle.SpaceMillis, 0.05],
  [TimeStyle.SpaceSeconds, 0.05],
]);

export interface SessionContext {
  readonly random: Random;
  /** How much slower agents answer than on a normal day (1 normal, up to ~1.6 on 11-11). */
  readonly load: number;
}

/** Whether a session starting at `start` is left as a night message (23:00–09:00 local). */
export function isLeaveMessageSession(start: number, dayLoad: number, random: Random): boolean {
  const hour = localHour(start);
  if (hour >= 9 && hour < 23) return false;
  const rushNight = dayLoad >= 3 && (hour === 23 || hour <= 2);
  return random.chance(rushNight ? SHARE.leaveMessageRushNight : SHARE.leaveMessage);
}

/** Generates the session's lines into `lines` (emptied first). */
export function generateSession(
  context: SessionContext,
  session: SessionInfo,
  start: number,
  leaveMessage: boolean,
  lines: SessionLines,
): SessionOutcome {
  lines.reset(session);
  const topic = TOPIC_CHOICE.pick(context.random);
  const script = new Script(context, session.shop, start, lines);
  const answered = leaveMessage ? leaveMessageChat(script, topic) : liveChat(script, topic);
  const closedAt = script.close(answered, leaveMessage);
  return {
    lineCount: lines.count,
    end: script.now,
    closedAt,
    lastAgent: script.agent,
    topic: topic.name,
    answered,
  };
}

/** A chat in working hours: runs answered by the assigned agent. Returns whether every run was answered. */
function liveChat(script: Script, topic: Topic): boolean {
  const { random } = script;
  const assignee = agentOnDuty(script.shop, script.now + 1, random);
  const openerFirst = random.chance(SHARE.openerFirst);
  const first = script.pick(openerFirst ? OPENERS : topic.questions);
  script.say("customer", "message", first, enterShop(script));
  if (random.chance(SHARE.autoGreeting)) {
    script.agent = assignee; // the greeting is sent on the assigned agent's behalf
    script.say(
      "auto",
      "message",
      random.pick(script.shop.autoGreetings),
      script.now + random.between(150, 1500),
    );
  }
  if (openerFirst)
    script.say("customer", "message", script.pick(topic.questions), script.now + typingGap(random));
  else if (random.chance(0.35))
    script.say("customer", "message", script.pick(CUSTOMER_ASIDES), script.now + typingGap(random));

  const rounds = roundCount(random);
  const transferRound = random.chance(SHARE.transfer) ? random.int(0, rounds - 1) : -1;
  const transferPending = random.chance(SHARE.transferWithPendingRun);
  for (let round = 0; round < rounds; round++) {
    if (round > 0) customerRun(script, topic);
    if (round === transferRound && transferPending) {
      script.agent ??= assignee;
      script.transfer(script.now + seconds(random, 5, 60));
    }
    if (random.chance(SHARE.unansweredRun)) return false;
    script.agent ??= assignee;
    script.agentSays(script.pick(topic.answers), script.now + script.replyDelay());
    if (random.chance(SHARE.agentExtra))
      script.agentSays(script.pick(AGENT_EXTRAS), script.now + seconds(random, 2, 15));
    if (round === transferRound && !transferPending) handOver(script);
  }
  if (random.chance(SHARE.closingWords)) {
    script.say("customer", "message", script.pick(CUSTOMER_CLOSERS), script.now + customerPause(random));
    script.agentSays(script.pick(AGENT_CLOSERS), script.now + seconds(random, 3, 40));
  }
  return true;
}

/** Customer messages left at night, answered by the morning shift from 09:00 (or never). */
function leaveMessageChat(script: Script, topic: Topic): boolean {
  const { random } = script;
  const start = script.now + 1;
  const left = random.int(1, 3);
  // No "entered the shop" line first: the first customer message must be the session's start, at night.
  script.say("customer", "leave_message", script.pick(LEAVE_MESSAGES), start);
  for (let i = 1; i < left; i++) {
    const text = script.pick(random.chance(0.5) ? topic.questions : CUSTOMER_ASIDES);
    script.say("customer", "leave_message", text, script.now + seconds(random, 5, 90));
  }
  if (random.chance(SHARE.nightAutoReply))
    script.say("auto", "message", script.pick(NIGHT_AUTO_REPLIES), script.now + random.between(300, 2000));
  if (!random.chance(SHARE.leaveMessageAnswered)) return false;

  const replyAt = nextLocalHour(start, 9) + Math.min(random.exponential(25 * MINUTE_MS), 3 * HOUR_MS);
  script.agent = agentOnDuty(script.shop, replyAt, random);
  script.agentSays(script.pick(MORNING_REPLIES), replyAt + seconds(random, 0, 60));
  script.agentSays(script.pick(topic.answers), script.now + seconds(random, 5, 60));
  const rounds = random.int(0, 2);
  for (let round = 0; round < rounds; round++) {
    script.say(
      "customer",
      "message",
      script.pick(CUSTOMER_FOLLOW_UPS),
      script.now + random.between(MINUTE_MS, 2 * HOUR_MS),
    );
    script.agentSays(script.pick(topic.answers), script.now + script.replyDelay());
  }
  return true;
}

/**
 * Now and then the platform notes the customer entering the shop (at the session's start);
 * returns when the customer's first message comes.
 */
function enterShop(script: Script): number {
  const { random } = script;
  const start = script.now + 1;
  if (!random.chance(SHARE.systemEntry)) return start;
  script.say("system", "message", script.pick(SYSTEM_ENTRIES), start);
  return script.now + seconds(random, 1, 20);
}

/** A later round's customer run: 1–3 messages. */
function customerRun(script: Script, topic: Topic): void {
  const { random } = script;
  const first = script.pick(random.chance(0.5) ? topic.questions : CUSTOMER_FOLLOW_UPS);
  script.say("customer", "message", first, script.now + customerPause(random));
  for (let n = 1; n < 3 && random.chance(0.3); n++)
    script.say("customer", "message", script.pick(CUSTOMER_ASIDES), script.now + typingGap(random));
}

/** The agent announces a transfer, transfers, and the receiver greets the customer. */
function handOver(script: Script): void {
  const { random } = script;
  script.agentSays(script.pick(AGENT_HANDOVER_NOTICES), script.now + seconds(random, 2, 10));
  if (script.transfer(script.now + seconds(random, 2, 20)))
    script.agentSays(script.pick(TRANSFER_GREETINGS), script.now + seconds(random, 3, 40));
}

/** 1 + a geometric number of further rounds (mean ≈ 2.5 rounds), at most 12. */
function roundCount(random: Random): number {
  let rounds = 1;
  while (rounds < 12 && random.chance(SHARE.moreRounds)) rounds++;
  return rounds;
}

function seconds(random: Random, min: number, max: number): number {
  return random.between(min * SECOND_MS, max * SECOND_MS);
}

/** Between two messages of one customer run. */
function typingGap(random: Random): number {
  return seconds(random, 2, 25);
}

/** From an agent's reply to the customer's next message: mostly quick, sometimes a long break. */
function customerPause(random: Random): number {
  return random.chance(0.85) ? seconds(random, 5, 90) : seconds(random, 90, 900);
}

/** Builds a session's lines with a clock that only moves forward. */
class Script {
  /** The agent serving now (undefined until the session is assigned). */
  agent: Agent | undefined;
  readonly random: Random;
  /** What the chat is about (an index into PRODUCTS). */
  private readonly product: number;
  private clock: number;

  constructor(
    private readonly context: SessionContext,
    readonly shop: Shop,
    start: number,
    private readonly lines: SessionLines,
  ) {
    this.random = context.random;
    this.clock = start - 1;
    this.product = this.random.int(0, PRODUCTS.length - 1);
  }

  /** A text of `pool` about this chat's product. */
  pick(pool: TextPool): Text {
    return pool.pick(this.random, this.product);
  }

  /** Time of the latest line. */
  get now(): number {
    return this.clock;
  }

  /** Adds a line at `at`, or 1 ms after the previous line if that is later. */
  say(
    from: From,
    event: LineEvent,
    text: Text,
    at: number,
    toAgent?: Agent,
    reason: TransferReason = "",
  ): void {
    let ts = Math.max(Math.floor(at), this.clock + 1);
    let style = STYLE_CHOICE.pick(this.random);
    if (style === TimeStyle.SpaceSeconds) {
      // A line written without milliseconds must be a whole second; rounding up keeps the order,
      // but not into the next hour: a night message at 08:59:59.5 must not become 09:00.
      const whole = Math.ceil(ts / SECOND_MS) * SECOND_MS;
      if (whole % HOUR_MS === 0 && whole !== ts) style = TimeStyle.IsoMillis;
      else ts = whole;
    }
    this.clock = ts;
    this.lines.push(ts, style, kindOf(from, event, reason), this.agent, toAgent, text);
  }

  /** A human agent's message; now and then one with a forbidden phrase. */
  agentSays(text: Text, at: number): void {
    const said = this.random.chance(SHARE.forbiddenPhrase) ? this.pick(FORBIDDEN_REPLIES) : text;
    this.say("agent", "message", said, at);
  }

  /** Transfers the session to another agent of the shop; false if the shop has no one else. */
  transfer(at: number): boolean {
    const receiver = otherAgentOnDuty(this.shop, this.agent, at, this.random);
    if (receiver === undefined) return false;
    const bySystem = this.random.chance(SHARE.transferBySystem);
    const requested = this.random.chance(SHARE.transferRequested);
    const note = this.pick(
      requested ? REQUESTED_TRANSFER_NOTES : bySystem ? SYSTEM_TRANSFER_NOTES : AGENT_TRANSFER_NOTES,
    );
    this.say(
      bySystem ? "system" : "agent",
      "transfer",
      note,
      at,
      receiver,
      requested ? "customer_request" : "",
    );
    this.agent = receiver;
    return true;
  }

  /**
   * From the customer's last message to the agent's reply: mostly seconds, a tail of minutes
   * (the run's wait also counts the customer's typing before it); longer on busy days.
   */
  replyDelay(): number {
    const u = this.random.next();
    const base =
      u < 0.55
        ? seconds(this.random, 2, 15)
        : u < 0.8
          ? seconds(this.random, 15, 45)
          : u < 0.92
            ? seconds(this.random, 45, 120)
            : u < 0.97
              ? seconds(this.random, 120, 300)
              : seconds(this.random, 300, 900);
    return base * this.context.load;
  }

  /** Closes most sessions (by the system or the agent); returns the close time, if closed. */
  close(answered: boolean, leaveMessage: boolean): number | undefined {
    const odds = leaveMessage
      ? SHARE.leaveMessageClose
      : answered
        ? SHARE.closeAnswered
        : SHARE.closeUnanswered;
    if (!this.random.chance(odds)) return undefined;
    const byAgent = this.agent !== undefined && this.random.chance(SHARE.closeByAgent);
    const after = answered ? seconds(this.random, 20, 300) : seconds(this.random, 600, 1800);
    const text = this.pick(byAgent ? AGENT_CLOSES : SYSTEM_CLOSES);
    this.say(byAgent ? "agent" : "system", "close", text, this.now + after);
    return this.now;
  }
}
