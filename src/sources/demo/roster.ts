import type { AgentEntry, Roster, ShopEntry, TeamEntry } from "../../roster.ts";

/**
 * The demo shop's people: one Tmall apparel flagship, a pre-sales and an after-sales team of
 * twelve agents each, a supervisor per team and two trainees who join during the period.
 * Names and ids are fixed, so a demo database keeps the same people whatever the seed.
 */

export type TeamKind = "presales" | "aftersales";

/** Where a struggling agent falls short, in engine units (see DemoAgent.weak). */
export type Weakness = Partial<Record<"conversion" | "crossSell" | "frt" | "resolution" | "csat", number>>;

export interface DemoAgent {
  entry: AgentEntry;
  /** As the platform names them: 云裳服饰旗舰店:小张. */
  account: string;
  kind: TeamKind;
  /** Stable number for the seeded streams. */
  index: number;
  /** Figures forced below target for the struggling few. */
  weak?: Weakness;
}

/** Shift start hour by the agent's number: even ones early (09:00–18:00), odd ones late (14:00–23:00). */
export const shiftStartOf = (index: number): number => (index % 2 === 0 ? 9 : 14);

export const DEMO_SHOP: ShopEntry = {
  id: "yunshang-flagship",
  name: "云裳服饰旗舰店",
  platform: "taobao",
  timeZone: "Asia/Shanghai",
  category: "apparel",
};

const TEAMS: Record<TeamKind, TeamEntry> = {
  presales: { id: "presales-team", shop: DEMO_SHOP.id, name: "售前组" },
  aftersales: { id: "aftersales-team", shop: DEMO_SHOP.id, name: "售后组" },
};

const SUPERVISORS: Record<TeamKind, [id: string, name: string]> = {
  presales: ["wang-fang", "王芳"],
  aftersales: ["li-jing", "李静"],
};

// [id, display name] — ids are the surnames' pinyin.
const AGENTS: Record<TeamKind, [string, string][]> = {
  presales: [
    ["zhang", "小张"],
    ["li", "小李"],
    ["wang", "小王"],
    ["zhao", "小赵"],
    ["chen", "小陈"],
    ["liu", "小刘"],
    ["yang", "小杨"],
    ["huang", "小黄"],
    ["zhou", "小周"],
    ["wu", "小吴"],
    ["xu", "小徐"],
    ["sun", "小孙"],
  ],
  aftersales: [
    ["ma", "小马"],
    ["zhu", "小朱"],
    ["hu", "小胡"],
    ["guo", "小郭"],
    ["he", "小何"],
    ["gao", "小高"],
    ["lin", "小林"],
    ["luo", "小罗"],
    ["zheng", "小郑"],
    ["liang", "小梁"],
    ["xie", "小谢"],
    ["song", "小宋"],
  ],
};

/** The struggling few: consistently below the built-in targets on one or two metrics. */
export const STRUGGLING: Readonly<Record<string, Weakness>> = {
  zhao: { conversion: 0.11, frt: 43 },
  zhou: { crossSell: 0.14, csat: 0.87 },
  guo: { resolution: 0.78, csat: 0.86 },
};

// Trainees join a fifth and half-way into the period.
const TRAINEES: [id: string, name: string, kind: TeamKind, joinsAt: number][] = [
  ["tang", "小唐", "presales", 0.2],
  ["han", "小韩", "aftersales", 0.5],
];

export interface DemoPeople {
  roster: Roster;
  /** Everyone who has daily figures: presales, aftersales and trainees. */
  agents: DemoAgent[];
  supervisors: { kind: TeamKind; entry: AgentEntry; account: string }[];
}

const accountOf = (name: string) => `${DEMO_SHOP.name}:${name}`;

/** The nine hours the agent's facts fall in (traits.ts). */
function shiftOf(index: number): { start: string; end: string } {
  const start = shiftStartOf(index);
  return { start: `${String(start).padStart(2, "0")}:00`, end: `${start + 9}:00` };
}

function entry(id: string, name: string, role: string, kind: TeamKind): AgentEntry {
  return {
    id,
    name,
    role,
    team: TEAMS[kind].id,
    ...(role === "supervisor" ? {} : { supervisor: SUPERVISORS[kind][0] }),
    accounts: [{ shop: DEMO_SHOP.id, account: accountOf(name) }],
  };
}

/** `dayAt(0.5)` names the day half-way through the period (for trainees' start). */
export function demoPeople(dayAt: (fraction: number) => string): DemoPeople {
  const agents: DemoAgent[] = [];
  const supervisors: DemoPeople["supervisors"] = [];
  for (const kind of ["presales", "aftersales"] as const) {
    const [id, name] = SUPERVISORS[kind];
    supervisors.push({ kind, entry: entry(id, name, "supervisor", kind), account: accountOf(name) });
    for (const [agentId, agentName] of AGENTS[kind]) {
      const weak = STRUGGLING[agentId];
      const index = agents.length + 1;
      agents.push({
        entry: { ...entry(agentId, agentName, kind, kind), shift: shiftOf(index) },
        account: accountOf(agentName),
        kind,
        index,
        ...(weak ? { weak } : {}),
      });
    }
  }
  for (const [id, name, kind, joinsAt] of TRAINEES) {
    const index = agents.length + 1;
    const trainee = {
      ...entry(id, name, "trainee", kind),
      traineeSince: dayAt(joinsAt),
      shift: shiftOf(index),
    };
    agents.push({ entry: trainee, account: accountOf(name), kind, index });
  }
  const roster: Roster = {
    shops: [DEMO_SHOP],
    teams: [TEAMS.presales, TEAMS.aftersales],
    agents: [...supervisors.map((s) => s.entry), ...agents.map((a) => a.entry)],
  };
  return { roster, agents, supervisors };
}
