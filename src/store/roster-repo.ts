import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { AgentEntry, Roster } from "../roster.ts";
import { recordAudit } from "./audit-repo.ts";
import type { Queryable } from "./database.ts";
import { agentAccounts, agents, chatIdentities, shops, teams } from "./schema.ts";

/**
 * The roster in the database follows the configuration: shops, teams and agents are upserted,
 * accounts and chat ids replaced per agent. Agents of the roster's shops missing from it are kept
 * (their history stays scoreable) but marked inactive; other shops' agents (the demo's) are left alone. Every change leaves an audit entry.
 */
export async function syncRoster(db: Queryable, roster: Roster, actor: string, now: Date): Promise<number> {
  let changes = 0;
  for (const shop of roster.shops) {
    const values = {
      name: shop.name,
      platform: shop.platform,
      timeZone: shop.timeZone,
      category: shop.category ?? null,
    };
    const done = await db
      .insert(shops)
      .values({ id: shop.id, ...values })
      .onConflictDoUpdate({ target: shops.id, set: values, setWhere: changed(shops, Object.keys(values)) })
      .returning({ id: shops.id });
    changes += done.length;
  }
  for (const team of roster.teams) {
    const values = { shopId: team.shop, name: team.name };
    const done = await db
      .insert(teams)
      .values({ id: team.id, ...values })
      .onConflictDoUpdate({ target: teams.id, set: values, setWhere: changed(teams, Object.keys(values)) })
      .returning({ id: teams.id });
    changes += done.length;
  }
  changes += await upsertAgents(db, roster.agents);
  const retired = await retireMissing(db, roster);
  changes += retired.length;
  if (changes > 0) {
    await recordAudit(db, {
      at: now,
      actor,
      action: "roster.sync",
      subject: "roster",
      detail: { changes, retired: retired.map((r) => r.id) },
    });
  }
  return changes;
}

/** Agents of the roster's shops that the roster no longer lists: kept, with their history, but inactive. */
async function retireMissing(db: Queryable, roster: Roster): Promise<{ id: string }[]> {
  const shopIds = roster.shops.map((s) => s.id);
  if (shopIds.length === 0) return [];
  const listed = roster.agents.map((a) => a.id);
  const ofShops = db.select({ id: teams.id }).from(teams).where(inArray(teams.shopId, shopIds));
  return db
    .update(agents)
    .set({ active: false })
    .where(
      and(
        eq(agents.active, true),
        inArray(agents.teamId, ofShops),
        listed.length > 0 ? notInArray(agents.id, listed) : undefined,
      ),
    )
    .returning({ id: agents.id });
}

const CHUNK = 1000;

/** Agents in statements of a thousand: a 10,000-agent roster is ten round trips, not 30,000. */
async function upsertAgents(db: Queryable, list: AgentEntry[]): Promise<number> {
  let changes = 0;
  for (let i = 0; i < list.length; i += CHUNK) {
    const chunk = list.slice(i, i + CHUNK);
    const ids = chunk.map((a) => a.id);
    const done = await db
      .insert(agents)
      .values(
        chunk.map((agent) => ({
          id: agent.id,
          name: agent.name,
          role: agent.role,
          teamId: agent.team,
          supervisorId: agent.supervisor ?? null,
          traineeSince: agent.traineeSince ?? null,
          shift: agent.shift ?? null,
          active: true,
        })),
      )
      .onConflictDoUpdate({
        target: agents.id,
        set: fromExcluded(agents, AGENT_COLUMNS),
        setWhere: changed(agents, AGENT_COLUMNS),
      })
      .returning({ id: agents.id });
    changes += done.length;
    const accounts = chunk.flatMap((agent) =>
      agent.accounts.map((a) => ({ shopId: a.shop, account: a.account, agentId: agent.id })),
    );
    await db.delete(agentAccounts).where(inArray(agentAccounts.agentId, ids));
    if (accounts.length > 0) {
      await db
        .insert(agentAccounts)
        .values(accounts)
        .onConflictDoUpdate({
          target: [agentAccounts.shopId, agentAccounts.account],
          set: fromExcluded(agentAccounts, ["agentId"]),
        });
    }
    const chats = chunk.flatMap((agent) =>
      Object.entries(agent.chat ?? {})
        .filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "")
        .map(([platform, userId]) => ({ platform, userId, agentId: agent.id, origin: "roster" })),
    );
    // Links approved in chat are not the roster's to remove.
    await db
      .delete(chatIdentities)
      .where(and(inArray(chatIdentities.agentId, ids), eq(chatIdentities.origin, "roster")));
    if (chats.length > 0) {
      await db
        .insert(chatIdentities)
        .values(chats)
        .onConflictDoUpdate({
          target: [chatIdentities.platform, chatIdentities.userId],
          set: fromExcluded(chatIdentities, ["agentId", "origin"]),
        });
    }
  }
  return changes;
}

const AGENT_COLUMNS = ["name", "role", "teamId", "supervisorId", "traineeSince", "shift", "active"];

/** SET col = excluded.col for a multi-row upsert. */
// biome-ignore lint/suspicious/noExplicitAny: any drizzle table with these columns
function fromExcluded(table: any, keys: string[]) {
  return Object.fromEntries(keys.map((key) => [key, sql.raw(`excluded."${table[key].name}"`)]));
}

/** Update only when a value differs, so an unchanged roster counts no changes. */
// biome-ignore lint/suspicious/noExplicitAny: any drizzle table with these columns
function changed(table: any, keys: string[]) {
  const columns = keys.map(
    (key) => sql`${table[key]} IS DISTINCT FROM excluded.${sql.identifier(table[key].name)}`,
  );
  return sql`(${sql.join(columns, sql` OR `)})`;
}

/** Agents by how a shop's exports name them. */
export async function agentsByAccount(
  db: Queryable,
  shopId: string,
  accounts: string[],
): Promise<Map<string, string>> {
  if (accounts.length === 0) return new Map();
  const rows = await db
    .select({ account: agentAccounts.account, agentId: agentAccounts.agentId })
    .from(agentAccounts)
    .where(and(eq(agentAccounts.shopId, shopId), inArray(agentAccounts.account, accounts)));
  return new Map(rows.map((r) => [r.account, r.agentId]));
}
