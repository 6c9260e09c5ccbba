/**
 * Who is who: shops, their teams and agents. The configuration file declares them; the demo
 * source generates them; the store keeps them. Plain data, validated where it enters (config.ts).
 */

export type Platform = "taobao" | "jd" | "pdd" | "other";

export interface ShopEntry {
  id: string;
  name: string;
  platform: Platform;
  /** IANA zone; days, weeks and months are cut in it. */
  timeZone: string;
  /** Shop category for category-specific targets (apparel, appliances …). */
  category?: string;
}

export interface TeamEntry {
  id: string;
  shop: string;
  name: string;
}

export interface AgentEntry {
  /** Our stable id (letters, digits, - and _). */
  id: string;
  /** Display name, e.g. 小张. */
  name: string;
  /** Role in the schemes: presales, aftersales, supervisor, trainee, or a scheme's own. */
  role: string;
  team: string;
  /** Agent id of their supervisor. */
  supervisor?: string;
  /** YYYY-MM-DD: a trainee is scored with the trainee scheme from this day. */
  traineeSince?: string;
  /** Platform accounts / nicks by shop id, as the exports name the agent (e.g. 旗舰店:小张). */
  accounts: { shop: string; account: string }[];
  /** Working hours, HH:MM in the shop's zone (end before start: overnight); nudges wait for them. */
  shift?: Shift;
  /** Chat user ids, for /kpi me and direct messages. */
  chat?: { slack?: string; feishu?: string; dingtalk?: string };
}

export interface Shift {
  start: string;
  end: string;
}

export interface Roster {
  shops: ShopEntry[];
  teams: TeamEntry[];
  agents: AgentEntry[];
}
