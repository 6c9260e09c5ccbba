import { dayKey } from "../../engine/index.ts";
import type { SourceFact } from "../source.ts";
import type { AgentDay } from "./figures.ts";
import { integer, pick, type Random, streamOf, uniform } from "./random.ts";

/**
 * The facts behind an agent-day's figures: one long_wait per long wait counted, one low_rating
 * per rating below 4, one bad_review per bad review — so nudges and numbers always agree.
 * Times are shop-local (Asia/Shanghai, +08:00) within the agent's shift.
 */

const BAD_REVIEW_TEXTS = [
  "衣服色差太大，和图片完全不一样",
  "尺码偏小，客服推荐的尺码根本穿不上",
  "客服态度很差，问了半天都不回",
  "面料起球，穿了一次就变形了",
  "发货太慢，催了客服也没用",
  "退换货流程太麻烦，客服一直推脱",
  "线头很多，做工粗糙，不值这个价",
  "说好的赠品没收到，客服也不处理",
  "洗了一次就褪色了，很失望",
  "客服回复很敷衍，问题一直没解决",
  "拉链坏了，联系客服只会让我等",
  "跟描述不符，标签写的纯棉其实不是",
];

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export interface FactContext {
  seed: number;
  index: number;
  day: number;
  shop: string;
  agent: string;
  shiftStart: number;
}

function clock(rng: Random, shiftStart: number): string {
  const seconds = Math.floor(uniform(rng, shiftStart * 3600, (shiftStart + 9) * 3600));
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

function customer(rng: Random): string {
  const letters = "abcdefghjkmnpqrstuvwxyz";
  return `${pick(rng, [...letters])}**${integer(rng, 0, 9)}`;
}

export function factsOf(c: FactContext, figures: AgentDay): SourceFact[] {
  const rng = streamOf(c.seed, c.index, c.day, 0xfac7);
  const key = dayKey(c.day);
  const compact = key.replaceAll("-", "");
  const at = (time: string, day = key) => `${day}T${time}+08:00`;
  const session = (seq: number) => `S${compact}${pad(c.index)}${pad(seq, 4)}`;
  const base = { shop: c.shop, agent: c.agent, day: key };
  const facts: SourceFact[] = [];
  let seq = 0;
  for (let i = 0; i < figures.longWaits; i++) {
    const id = session(++seq);
    facts.push({
      kind: "long_wait",
      ...base,
      at: at(clock(rng, c.shiftStart)),
      ref: id,
      detail: { session: id, customer: customer(rng), waitSeconds: integer(rng, 301, 900), endedBy: "reply" },
    });
  }
  for (const score of figures.lowRatings) {
    const id = session(++seq);
    facts.push({
      kind: "low_rating",
      ...base,
      at: at(clock(rng, c.shiftStart)),
      ref: id,
      detail: { session: id, score },
    });
  }
  for (let i = 0; i < figures.badReviews; i++) {
    const order = `${compact}${pad(c.index)}${pad(integer(rng, 0, 99_999), 5)}${pad(i, 2)}`;
    const time = clock(rng, c.shiftStart);
    facts.push({
      kind: "bad_review",
      ...base,
      at: at(time),
      ref: order,
      detail: {
        order,
        customer: customer(rng),
        text: pick(rng, BAD_REVIEW_TEXTS),
        // The customer must be contacted within 24 h of the review [000].
        followUpBy: at(time, dayKey(c.day + 1)),
      },
    });
  }
  return facts.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
