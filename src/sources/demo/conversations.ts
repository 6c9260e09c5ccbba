import { type Conversation, type ConversationMessage, dayKey } from "../../engine/index.ts";
import type { SourceFact } from "../source.ts";
import { type ConversationStyle, honestStyle } from "./gaming-styles.ts";
import { integer, pick, type Random, streamOf, uniform } from "./random.ts";
import type { TeamKind } from "./roster.ts";
import type { Traits } from "./traits.ts";

/**
 * A few believable conversations per agent-day, for quality review (质检) to sample: one for each
 * long wait, low rating and bad review among the day's facts (the same session, so a card's wait
 * or rating is the fact's) and a few ordinary ones, written plainly from the agent's traits (a
 * transfer now and then, the occasional forbidden phrase); then the rest of the day as the agent
 * talks (agent-talk.ts: timing, two-part answers, invitations), honest unless the agent is one of
 * the demo's planted gamers (index.ts `demoStyles`), whom the gaming alerts should find.
 */

/** What a conversation is to be, before it is written. */
export interface ConversationPlan {
  shop: string;
  /** The agent's account, as the platform names them. */
  agent: string;
  kind: TeamKind;
  day: string;
  session: string;
  customer: string;
  /** Epoch ms of the customer's first line. */
  startAt: number;
  /** Seconds the customer waits for the first reply. */
  firstWait: number;
  /** A later wait this long, in seconds (a long wait's fact). */
  longWait?: number;
  rating?: number;
  transfer: boolean;
  /** A forbidden phrase the agent lets slip. */
  forbidden?: string;
  traits: Traits;
}

/** Writes a planned conversation's lines. */
type ConversationWriter = (plan: ConversationPlan, rng: Random) => ConversationMessage[];

type Exchange = [customer: string, agent: string];

const PRESALES: readonly Exchange[][] = [
  [
    ["在吗？这件连衣裙身高160体重100斤穿什么码？", "亲，在的～按您的身高体重建议选S码，腰围68cm以内都合适哦"],
    ["S码会不会偏短？", "这款S码衣长98cm，160的身高到膝盖上方一点，很显腿长呢"],
    ["好的，那就拍S", "好的亲，拍下后48小时内发货，有问题随时找我～"],
  ],
  [
    ["这款卫衣还有黑色L码吗？", "亲，黑色L码目前还有少量库存，喜欢的话建议尽快下单哦"],
    ["今天拍什么时候能到？", "今天16点前拍下当天发出，江浙沪一般次日达，其他地区2-3天"],
    ["可以用优惠券吗", "可以的，店铺满299减30的券在首页领取，下单时自动抵扣"],
  ],
  [
    ["羊毛大衣会起球吗？", "亲，这款是80%羊毛混纺，正常穿着不易起球，建议干洗保养"],
    ["有没有赠品", "现在下单送同色系围巾一条，数量有限送完为止哦"],
    ["那我再看看", "好的亲，有需要随时联系，收藏加购可以第一时间收到降价提醒"],
  ],
  [
    ["牛仔裤腰围72穿几码", "亲，腰围72建议拿27码，这款弹力适中，不会勒"],
    ["我平时穿26的", "那您可以拍26码，偏紧身穿法；想宽松一点就27码"],
    ["那帮我备注一下发顺丰", "好的亲，已为您备注顺丰，默认快递之外需补5元运费差价哦"],
  ],
];

const AFTERSALES: readonly Exchange[][] = [
  [
    ["收到的衣服有色差，和图片不一样", "非常抱歉给您带来不好的体验，麻烦亲拍一张自然光下的照片给我看看"],
    ["[图片]", "收到，确实和主图有偏差，您看是退货退款还是换一件呢？"],
    ["退了吧", "好的，已为您申请退货退款，运费险会自动理赔，快递上门取件时间是明天上午"],
  ],
  [
    ["尺码小了想换大一码", "亲，可以换的，请在订单页申请换货，选择M码，寄回时备注订单号后四位"],
    ["运费谁出", "质量问题由我们承担，尺码不合适的话来回运费各自承担，您有运费险可以抵扣"],
    ["好吧", "已为您登记，收到退回的衣服后24小时内给您发出新码"],
  ],
  [
    ["快递三天了还没到", "亲别着急，我帮您查一下物流，显示今天已到当地派送站"],
    ["能不能快点", "我已经联系快递催派件了，今天下午会送到，送不到我这边再给您跟进"],
    ["那好吧谢谢", "不客气亲，收到后有任何问题随时联系我们"],
  ],
  [
    ["衣服洗了一次就褪色了", "非常抱歉，麻烦您提供一下洗涤后的照片，我们这边为您登记质量问题"],
    ["[图片]", "看到了，这种情况属于质量问题，可以为您办理退货退款或补偿20元无门槛券"],
    ["给我补偿吧", "好的，20元券已发到您的账户，请在我的-优惠券中查看，给您添麻烦了"],
  ],
];

const FORBIDDEN_LINES: Record<string, string> = {
  不知道: "这个我也不知道，您自己看详情页吧",
  随便你: "随便你，反正就这样",
  绝对正品: "放心，绝对正品，假一赔十",
};

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The plain style: the topic's exchanges, waits as planned, a transfer or a slip as planned. */
export const plainStyle: ConversationWriter = (plan, rng) => {
  const topic = pick(rng, plan.kind === "presales" ? PRESALES : AFTERSALES);
  const lines: ConversationMessage[] = [];
  let at = plan.startAt;
  const say = (from: "customer" | "agent", text: string, afterSeconds: number) => {
    at += afterSeconds * 1000;
    lines.push({ at, from, event: "message", text, ...(from === "agent" ? { agent: plan.agent } : {}) });
  };
  topic.forEach(([question, answer], i) => {
    say("customer", question, i === 0 ? 0 : integer(rng, 10, 60));
    const wait = i === 0 ? plan.firstWait : i === 1 && plan.longWait ? plan.longWait : integer(rng, 8, 50);
    say("agent", i === 1 && plan.forbidden ? FORBIDDEN_LINES[plan.forbidden]! : answer, wait);
  });
  if (plan.transfer) {
    at += 20_000;
    lines.push({
      at,
      from: "system",
      event: "transfer",
      agent: plan.agent,
      toAgent: "主管",
      customerAsked: rng() < 0.5,
      text: "会话已转接",
    });
  }
  at += integer(rng, 30, 120) * 1000;
  lines.push({ at, from: "system", event: "close", agent: plan.agent, text: "会话结束" });
  return lines;
};

export interface DemoConversationContext {
  seed: number;
  index: number;
  day: number;
  shop: string;
  agent: string;
  kind: TeamKind;
  traits: Traits;
  facts: readonly SourceFact[];
  /** How the agent talks through the day (agent-talk.ts): honest unless a planted gamer's. */
  style?: ConversationStyle;
}

/** Ordinary conversations per worked day, besides those behind the facts. */
const ORDINARY = 3;

export function demoConversations(c: DemoConversationContext): Conversation[] {
  const rng = streamOf(c.seed, c.index, c.day, 0xc0e7);
  const key = dayKey(c.day);
  const shiftStart = Date.parse(`${key}T${pad(c.traits.shiftStart)}:00:00+08:00`);
  const plans: ConversationPlan[] = [];
  const plan = (session: string, startAt: number, extra: Partial<ConversationPlan>): ConversationPlan => ({
    shop: c.shop,
    agent: c.agent,
    kind: c.kind,
    day: key,
    session,
    customer: `tb_${pick(rng, ["lily", "momo", "xiaoyu", "aa", "sunny", "kiki"])}${integer(rng, 10, 9999)}`,
    startAt,
    firstWait: Math.max(3, Math.round(c.traits.frt * uniform(rng, 0.5, 1.6))),
    transfer: false,
    traits: c.traits,
    ...extra,
  });
  for (const fact of c.facts) {
    const at = Date.parse(fact.at);
    if (fact.kind === "long_wait")
      plans.push(plan(fact.ref, at - 60_000, { longWait: Number(fact.detail.waitSeconds) }));
    if (fact.kind === "low_rating")
      plans.push(plan(fact.ref, at - 600_000, { rating: Number(fact.detail.score) }));
    if (fact.kind === "bad_review") plans.push(plan(fact.ref, at - 86_400_000 / 2, {}));
  }
  const compact = key.replaceAll("-", "");
  for (let i = 0; i < ORDINARY; i++) {
    const startAt = shiftStart + Math.floor(uniform(rng, 0, 8.5 * 3600)) * 1000;
    const slip = rng() < (1 - c.traits.script) * 3;
    plans.push(
      plan(`C${compact}${pad(c.index)}${pad(i, 3)}`, startAt, {
        transfer: rng() < c.traits.transfer * 3,
        ...(slip ? { forbidden: pick(rng, Object.keys(FORBIDDEN_LINES)) } : {}),
        ...(rng() < c.traits.rating * 2 ? { rating: rng() < c.traits.csat ? 5 : integer(rng, 2, 4) } : {}),
      }),
    );
  }
  const talk = (c.style ?? honestStyle)({
    shop: c.shop,
    agent: c.agent,
    day: key,
    index: c.index,
    random: rng,
  });
  const planned = plans.map((p): Conversation => {
    const messages = plainStyle(p, rng);
    return {
      shop: p.shop,
      session: p.session,
      customer: p.customer,
      agent: p.agent,
      day: p.day,
      messages,
      ...(p.rating !== undefined ? { rating: { score: p.rating, at: messages.at(-1)!.at } } : {}),
    };
  });
  return [...planned, ...talk];
}
