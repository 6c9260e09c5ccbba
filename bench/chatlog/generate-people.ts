/**
 * Who is in the generated chats: shops (one per platform in turn), their agents with shifts, and
 * the ids of customers and orders in each platform's style.
 */
import { localHour } from "./generate-calendar.ts";
import type { Random } from "./generate-random.ts";
import { autoGreetings, type Text } from "./generate-texts.ts";

export type Platform = "tb" | "jd" | "pdd";
const PLATFORMS: readonly Platform[] = ["tb", "jd", "pdd"];

/** Share of orders paid cash on delivery: common on JD, rare elsewhere. */
const COD_SHARE: Record<Platform, number> = { tb: 0.02, jd: 0.08, pdd: 0.01 };

export interface Agent {
  readonly name: string;
  /** The name in UTF-8 (it needs no quoting in CSV or JSON). */
  readonly bytes: Uint8Array;
  /** Local hours (0–23) the agent is on duty. */
  readonly hours: ReadonlySet<number>;
}

export interface Shop {
  readonly index: number;
  readonly name: string; // 旗舰店A
  readonly code: string; // A, used in session ids
  readonly platform: Platform;
  /** Relative share of the sessions. */
  readonly weight: number;
  readonly agents: readonly Agent[];
  /** Agents on duty in each local hour (all agents when a shift leaves an hour empty). */
  readonly onDuty: ReadonlyArray<readonly Agent[]>;
  readonly autoGreetings: readonly Text[];
  readonly codShare: number;
}

const NICK_CHARS = [..."张美雨月王李鱼七柚桃糖果米豆叶风星云乐安宁琪萌蕾宝贝晴暖甜橙菲娜洁静雪丹敏欢瑶可"];
const NICK_PREFIXES = ["小", "阿"];

/** Day shift, evening shift (to midnight) and a small night shift (23:00–09:00). */
const SHIFTS = {
  early: hoursFrom(8, 18),
  late: hoursFrom(14, 24),
  night: new Set([23, 0, 1, 2, 3, 4, 5, 6, 7, 8]),
};

function hoursFrom(first: number, end: number): Set<number> {
  return new Set(Array.from({ length: end - first }, (_, i) => first + i));
}

/** `shops` shops sharing `agents` agents, bigger shops first (weights 1, 1/√2, 1/√3 …). */
export function buildShops(shops: number, agents: number): Shop[] {
  const weights = Array.from({ length: shops }, (_, i) => 1 / Math.sqrt(i + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const agentCounts = splitAgents(
    agents,
    weights.map((weight) => weight / total),
  );
  return weights.map((weight, index) => buildShop(index, weight, agentCounts[index]!));
}

/** Agents per shop in proportion to the shop's weight, at least one each. */
function splitAgents(agents: number, shares: readonly number[]): number[] {
  const counts = shares.map((share) => Math.max(1, Math.floor(agents * share)));
  let spare = agents - counts.reduce((sum, count) => sum + count, 0);
  for (let i = 0; spare > 0; i = (i + 1) % counts.length, spare--) counts[i]!++;
  return counts;
}

function buildShop(index: number, weight: number, agentCount: number): Shop {
  const code = shopCode(index);
  const name = `旗舰店${code}`;
  const platform = PLATFORMS[index % PLATFORMS.length]!;
  const agents = Array.from({ length: agentCount }, (_, i) => {
    const agent = agentName(index, name, i);
    return { name: agent, bytes: Buffer.from(agent), hours: shiftOf(i, agentCount) };
  });
  const onDuty = Array.from({ length: 24 }, (_, hour) => {
    const present = agents.filter((agent) => agent.hours.has(hour));
    return present.length > 0 ? present : agents;
  });
  return {
    index,
    name,
    code,
    platform,
    weight,
    agents,
    onDuty,
    autoGreetings: autoGreetings(name),
    codShare: COD_SHARE[platform],
  };
}

/** A, B, … Z, AA, AB … */
function shopCode(index: number): string {
  let code = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    code = String.fromCharCode(65 + ((n - 1) % 26)) + code;
  return code;
}

/**
 * Nicknames as shops set them: `旗舰店A:小张`, or `客服小美` in the second shop; a shop starts at
 * its own place in the name list so shops don't all have the same 小张.
 */
function agentName(shopIndex: number, shopName: string, i: number): string {
  const n = i + shopIndex * 7;
  const round = Math.floor(n / (NICK_CHARS.length * NICK_PREFIXES.length));
  const nick =
    NICK_PREFIXES[Math.floor(n / NICK_CHARS.length) % NICK_PREFIXES.length]! +
    NICK_CHARS[n % NICK_CHARS.length]! +
    (round > 0 ? String(round + 1) : "");
  return shopIndex === 1 ? `客服${nick}` : `${shopName}:${nick}`;
}

/** Every tenth agent works nights (when the shop has five or more), the rest alternate day/evening. */
function shiftOf(i: number, agentCount: number): Set<number> {
  if (agentCount >= 5 && i % 10 === 4) return SHIFTS.night;
  return i % 2 === 0 ? SHIFTS.early : SHIFTS.late;
}

/** A random agent of `shop` on duty at `ms`. */
export function agentOnDuty(shop: Shop, ms: number, random: Random): Agent {
  return random.pick(shop.onDuty[localHour(ms)]!);
}

/** Another agent of `shop` on duty at `ms` (a transfer's receiver), or undefined if there is none. */
export function otherAgentOnDuty(
  shop: Shop,
  current: Agent | undefined,
  ms: number,
  random: Random,
): Agent | undefined {
  const onDuty = shop.onDuty[localHour(ms)]!;
  const candidates = onDuty.length > 1 ? onDuty : shop.agents;
  if (candidates.length < 2) return undefined;
  for (;;) {
    const agent = random.pick(candidates);
    if (agent !== current) return agent;
  }
}

const ID_DIGITS = 9000;
const ID_SUFFIXES = 36 * 36;
const ID_SPACE = ID_DIGITS * ID_SUFFIXES; // 2^7 · 3^6 · 5^3
/** Prime, so coprime with ID_SPACE: index → id is one-to-one yet looks scattered. */
const ID_SCRAMBLE = 7_368_787;
const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

/** Customer `index` of `shop` as the platform shows it, e.g. `tb_8812_x7`. */
export function customerId(shop: Shop, index: number): string {
  // Each shop's customers start elsewhere in the id space, so shops don't share their first ids.
  const scattered = ((index + shop.index * 1_234_567) * ID_SCRAMBLE + 12_345) % ID_SPACE;
  const digits = 1000 + Math.floor(scattered / ID_SUFFIXES);
  const suffix = scattered % ID_SUFFIXES;
  return `${shop.platform}_${digits}_${BASE36[Math.floor(suffix / 36)]}${BASE36[suffix % 36]}`;
}

/** Customer indexes from here on buy without asking (silent orders), apart from the ones who chat. */
export const SILENT_CUSTOMER_BASE = 5_000_000;

/**
 * Order number `serial` (counted over all shops, so ids never clash) in the style of `shop`'s
 * platform: Taobao 19 digits, JD 12 digits, Pinduoduo `yymmdd-` and 15 digits. `date` is the
 * local YYYY-MM-DD of the order.
 */
export function orderId(shop: Shop, serial: number, date: string, random: Random): string {
  const yymmdd = date.slice(2).replaceAll("-", "");
  const tail = String(random.int(0, 99)).padStart(2, "0");
  if (shop.platform === "tb") return `2${yymmdd}${String(serial).padStart(10, "0")}${tail}`;
  if (shop.platform === "jd") return `3${String(serial).padStart(9, "0")}${tail}`;
  return `${yymmdd}-${String(serial).padStart(13, "0")}${tail}`;
}
