import { isMap, isSeq, parseDocument } from "yaml";
import type { ChatDirectory, DirectoryLookup, DirectoryQuery } from "../chat/directory.ts";
import { type Config, parseConfig } from "../config.ts";
import { recordAudit } from "../store/audit-repo.ts";
import type { Queryable } from "../store/database.ts";

/**
 * `kpi roster sync`: each agent's chat user id, found in a platform's directory by the email or
 * mobile the configuration holds, shown, then written into the configuration file itself (its
 * comments and layout kept) and audited. The file stays the one place the roster lives.
 */

export interface ChatIdFound {
  agentId: string;
  name: string;
  userId: string;
  by: DirectoryLookup;
  /** The id the file held before, when it was another. */
  previous?: string;
}

export interface ChatIdMissing {
  agentId: string;
  name: string;
  reason: string;
  /** The id the file holds, kept. */
  kept?: string;
}

export interface ChatIdPlan {
  platform: ChatDirectory["platform"];
  /** New or changed ids: what writing changes. */
  found: ChatIdFound[];
  /** Found, and already in the file. */
  unchanged: ChatIdFound[];
  missing: ChatIdMissing[];
}

const LOOKUP_WORDS: Record<string, string> = {
  email: "no email",
  mobile: "no mobile",
  "email,mobile": "no email or mobile",
};

export async function planChatIds(config: Config, directory: ChatDirectory): Promise<ChatIdPlan> {
  const { platform, lookups } = directory;
  const queries: DirectoryQuery[] = [];
  const missing: ChatIdMissing[] = [];
  for (const agent of config.agents) {
    const query: DirectoryQuery = { key: agent.id };
    if (lookups.includes("email") && agent.email) query.email = agent.email;
    if (lookups.includes("mobile") && agent.mobile) query.mobile = agent.mobile;
    if (lookups.includes("name")) query.name = agent.name;
    if (query.email === undefined && query.mobile === undefined && query.name === undefined)
      missing.push(missingOf(agent, `${LOOKUP_WORDS[lookups.join(",")]} in the configuration`, platform));
    else queries.push(query);
  }
  const matches = new Map((await directory.find(queries)).map((m) => [m.key, m]));
  const found: ChatIdFound[] = [];
  const unchanged: ChatIdFound[] = [];
  for (const query of queries) {
    const agent = config.agents.find((a) => a.id === query.key)!;
    const match = matches.get(query.key);
    if (match === undefined) {
      const by = [query.email && "email", query.mobile && "mobile", query.name && "a name no one else has"]
        .filter(Boolean)
        .join(" or ");
      missing.push(missingOf(agent, `not in the directory by ${by}`, platform));
      continue;
    }
    const previous = agent.chat?.[platform];
    const entry = { agentId: agent.id, name: agent.name, userId: match.userId, by: match.by };
    if (previous === match.userId) unchanged.push(entry);
    else found.push(previous ? { ...entry, previous } : entry);
  }
  return { platform, found, unchanged, missing };
}

function missingOf(
  agent: Config["agents"][number],
  reason: string,
  platform: ChatIdPlan["platform"],
): ChatIdMissing {
  const kept = agent.chat?.[platform];
  return { agentId: agent.id, name: agent.name, reason, ...(kept ? { kept } : {}) };
}

/**
 * The configuration's text with the found ids written into `agents[].chat`, edited in place
 * through yaml's Document API (comments, order and flow or block style kept), and checked by
 * the configuration's own parser before anyone writes it.
 */
export function withChatIds(text: string, origin: string, plan: ChatIdPlan): string {
  const doc = parseDocument(text);
  const agents = doc.get("agents", true);
  if (!isSeq(agents)) throw new Error(`${origin} has no agents list`);
  for (const change of plan.found) {
    const index = agents.items.findIndex((item) => isMap(item) && item.get("id") === change.agentId);
    if (index < 0) throw new Error(`${origin} has no agent ${change.agentId}`);
    const agent = agents.items[index];
    const chat = isMap(agent) ? agent.get("chat", true) : undefined;
    if (isMap(chat)) chat.set(plan.platform, change.userId);
    else
      doc.setIn(
        ["agents", index, "chat"],
        doc.createNode({ [plan.platform]: change.userId }, { flow: true }),
      );
  }
  // lineWidth 0: an agent written on one line stays on one line (yaml folds at 80 by default).
  const edited = doc.toString({ lineWidth: 0 });
  parseConfig(edited, origin);
  return edited;
}

/** What was written, for the audit log: the ids set (and replaced) and who was not found. */
export async function auditChatIds(
  db: Queryable,
  plan: ChatIdPlan,
  meta: { actor: string; at: Date; file: string },
): Promise<void> {
  await recordAudit(db, {
    at: meta.at,
    actor: meta.actor,
    action: "roster.chat-ids",
    subject: `roster:${plan.platform}`,
    detail: {
      file: meta.file,
      platform: plan.platform,
      set: plan.found.map((f) => ({
        agent: f.agentId,
        userId: f.userId,
        by: f.by,
        ...(f.previous ? { previous: f.previous } : {}),
      })),
      unchanged: plan.unchanged.length,
      notFound: plan.missing.map((m) => m.agentId),
    },
  });
}
