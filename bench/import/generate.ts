/**
 * The import benchmark's data: a month of a big shop's Chitu (赤兔) customer-service export, one
 * row per agent and day with a 日期 column, and the configuration whose roster names every
 * account in it. Seeded, so the same options give the same bytes.
 *
 * Figures hang together the way a real export's do: 接待人数 ≤ 咨询人数, 询单 a share of
 * receptions, payments a share of inquiries, the five 服务满意度 counts adding up to the reviews
 * that 评价参与率 is a share of; busier weekends and a Double 12 peak; the last two days' payments
 * still 延迟统计 (Chitu attributes payments for 72 hours).
 */
import { stringify } from "yaml";
import { Random } from "../chatlog/generate-random.ts";

export interface ImportDataOptions {
  agents: number;
  days: number;
  /** First day, YYYY-MM-DD (default 2026-12-01: 31 days with the 12.12 peak). */
  from?: string;
  seed?: number;
  /** Agents per team; each team has a supervisor scored on its roll-up. */
  teamSize?: number;
  /** UTF-8 with a BOM (default), or GBK as Windows Excel and most back offices write it. */
  encoding?: "utf-8" | "gbk";
}

export const SHOP = { id: "flagship", name: "旗舰店", platform: "taobao" } as const;

const HEADER = [
  "客服昵称",
  "日期",
  "咨询人数",
  "接待人数",
  "询单人数",
  "最终付款人数",
  "询单->最终付款转化率",
  "客服销售人数",
  "转出人数",
  "平均响应(秒)",
  "首次响应(秒)",
  "回复率",
  "服务满意度评价参与率",
  "服务满意度评价很满意",
  "服务满意度评价满意",
  "服务满意度评价一般",
  "服务满意度评价不满",
  "服务满意度评价很不满",
  "客户满意率",
  "客服销售额",
  "客单价",
  "在线时长",
  "上班天数",
];

const pad = (n: number, width: number) => String(n).padStart(width, "0");
export const accountOf = (i: number) => `${SHOP.name}:客服${pad(i + 1, 5)}`;
const agentIdOf = (i: number) => `agent-${pad(i + 1, 5)}`;

export function daysOf(from: string, days: number): string[] {
  const first = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: days }, (_, d) => new Date(first + d * 86_400_000).toISOString().slice(0, 10));
}

interface Profile {
  /** Customers per day on an ordinary weekday. */
  capacity: number;
  speed: number;
  conversion: number;
  satisfaction: number;
  aov: number;
}

function profiles(random: Random, agents: number): Profile[] {
  return Array.from({ length: agents }, () => ({
    capacity: random.between(60, 160),
    speed: random.between(0.7, 1.6),
    conversion: random.between(0.12, 0.38),
    satisfaction: random.between(0.75, 0.97),
    aov: random.between(120, 1_500),
  }));
}

/** Load of a day: weekends busier, the 12.12 peak and the days around it much busier. */
function loadOf(day: string): number {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 1.25 : 1;
  const date = Number(day.slice(8, 10));
  const month = day.slice(5, 7);
  const peak = month === "12" && Math.abs(date - 12) <= 1 ? (date === 12 ? 2.6 : 1.6) : 1;
  return weekend * peak;
}

const percent = (num: number, den: number) => (den === 0 ? "-" : `${((100 * num) / den).toFixed(2)}%`);
/** "12,345.60", quoted as the comma requires (toLocaleString is ten times slower). */
function money(amount: number): string {
  const [whole, cents] = amount.toFixed(2).split(".");
  return `"${whole!.replace(/\B(?=(\d{3})+$)/g, ",")}.${cents}"`;
}

function row(random: Random, account: string, day: string, p: Profile, load: number, late: boolean): string {
  const consults = Math.max(1, Math.round(p.capacity * load * random.between(0.8, 1.2)));
  const receptions = Math.max(1, Math.round(consults * random.between(0.9, 0.99)));
  const inquiries = Math.round(receptions * random.between(0.28, 0.45));
  const paying = Math.round(inquiries * p.conversion * random.between(0.8, 1.2));
  const buyers = paying;
  const transfers = Math.round(receptions * random.between(0, 0.04));
  const avgResponse = (random.between(14, 30) * p.speed * (load > 2 ? 1.4 : 1)).toFixed(1);
  const firstResponse = (random.between(5, 14) * p.speed).toFixed(1);
  const replied = Math.round(receptions * random.between(0.965, 1));
  const reviews = Math.round(receptions * random.between(0.12, 0.3));
  const happy = Math.round(reviews * p.satisfaction * random.between(0.95, 1.03));
  const top = Math.min(reviews, happy);
  const verySatisfied = Math.round(top * random.between(0.55, 0.8));
  const satisfied = top - verySatisfied;
  const rest = reviews - top;
  const neutral = Math.round(rest * random.between(0.4, 0.7));
  const dissatisfied = Math.round((rest - neutral) * random.between(0.5, 0.8));
  const veryDissatisfied = rest - neutral - dissatisfied;
  const aov = p.aov * random.between(0.85, 1.15);
  const sales = buyers * aov;
  const online = random.between(7.5, 9.5) * (load > 2 ? 1.2 : 1);
  const cells = [
    account,
    day,
    consults,
    receptions,
    inquiries,
    late ? "延迟统计" : paying,
    late ? "延迟统计" : percent(paying, inquiries),
    buyers,
    transfers,
    avgResponse,
    firstResponse,
    percent(replied, receptions),
    percent(reviews, receptions),
    verySatisfied,
    satisfied,
    neutral,
    dissatisfied,
    veryDissatisfied,
    percent(top, reviews),
    money(sales),
    buyers === 0 ? "-" : money(aov),
    online.toFixed(2),
    1,
  ];
  return cells.join(",");
}

/**
 * The export as CSV with a title line, as Chitu writes it (UTF-8 with a BOM, or GBK); day by
 * day, agents in order.
 */
export function generateExport(options: ImportDataOptions): Buffer {
  const random = new Random(options.seed ?? 1);
  const people = profiles(random, options.agents);
  const days = daysOf(options.from ?? "2026-12-01", options.days);
  const gbk = options.encoding === "gbk";
  const parts: string[] = [
    `${gbk ? "" : "\ufeff"}${SHOP.name} 客服绩效 ${days[0]} ~ ${days.at(-1)}\n${HEADER.join(",")}\n`,
  ];
  for (const [d, day] of days.entries()) {
    const load = loadOf(day);
    const late = d >= days.length - 2;
    const lines: string[] = [];
    for (const [i, p] of people.entries()) lines.push(row(random, accountOf(i), day, p, load, late));
    parts.push(`${lines.join("\n")}\n`);
  }
  return gbk ? encodeGbk(parts) : Buffer.from(parts.join(""));
}

/** GBK's two-byte code of each character, from the decoder's table (Node has no GBK encoder). */
function gbkCodes(): Map<string, number> {
  const decoder = new TextDecoder("gbk");
  const codes = new Map<string, number>();
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(Uint8Array.of(lead, trail));
      if (char.length === 1 && char !== "\ufffd" && !codes.has(char)) codes.set(char, (lead << 8) | trail);
    }
  return codes;
}

function encodeGbk(parts: string[]): Buffer {
  const codes = gbkCodes();
  const chunks = parts.map((text) => {
    const bytes = Buffer.allocUnsafe(text.length * 2);
    let length = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) bytes[length++] = c;
      else {
        const code = codes.get(text[i]!);
        if (code === undefined) throw new Error(`"${text[i]}" has no GBK code`);
        bytes[length++] = code >> 8;
        bytes[length++] = code & 0xff;
      }
    }
    return bytes.subarray(0, length);
  });
  return Buffer.concat(chunks);
}

/** kpi.config.yaml for the export: one shop, teams of `teamSize` with a supervisor each. */
export function generateConfig(options: ImportDataOptions): string {
  const size = options.teamSize ?? 100;
  const teamCount = Math.ceil(options.agents / size);
  const teams = Array.from({ length: teamCount }, (_, t) => ({
    id: `team-${pad(t + 1, 3)}`,
    shop: SHOP.id,
    name: `售前${t + 1}组`,
  }));
  const supervisors = teams.map((team, t) => ({
    id: `lead-${pad(t + 1, 3)}`,
    name: `主管${t + 1}`,
    role: "supervisor",
    team: team.id,
  }));
  const agents = Array.from({ length: options.agents }, (_, i) => ({
    id: agentIdOf(i),
    name: `客服${pad(i + 1, 5)}`,
    role: "presales",
    team: teams[Math.floor(i / size)]!.id,
    supervisor: supervisors[Math.floor(i / size)]!.id,
    accounts: [{ shop: SHOP.id, account: accountOf(i) }],
  }));
  return stringify({
    shops: [SHOP],
    teams,
    agents: [...supervisors, ...agents],
    schemes: { presales: [{ scheme: "presales" }], supervisor: [{ scheme: "supervisor" }] },
  });
}
