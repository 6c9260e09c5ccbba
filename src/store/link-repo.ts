import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "./database.ts";
import { agentAccounts, chatIdentities, linkRequests } from "./schema.ts";

/**
 * `link <account>` requests: a chat user asks to be known as an agent; the agent's supervisor
 * (or an admin) decides. One pending request per chat user (a partial unique index); approved
 * links become chat identities of origin "link", which roster syncs leave alone.
 */

export type LinkStatus = "pending" | "approved" | "rejected";

export interface LinkRequest {
  id: number;
  platform: string;
  userId: string;
  agentId: string;
  status: LinkStatus;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

const asLinkRequest = (row: typeof linkRequests.$inferSelect): LinkRequest => ({
  ...row,
  status: row.status as LinkStatus,
});

/** Agents a shop account names (exact; the same account text may exist in two shops). */
export async function agentIdsByAccount(db: Queryable, account: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ agentId: agentAccounts.agentId })
    .from(agentAccounts)
    .where(eq(agentAccounts.account, account));
  return rows.map((r) => r.agentId);
}

export async function pendingLinkOf(
  db: Queryable,
  platform: string,
  userId: string,
): Promise<LinkRequest | undefined> {
  const [row] = await db
    .select()
    .from(linkRequests)
    .where(
      and(
        eq(linkRequests.platform, platform),
        eq(linkRequests.userId, userId),
        eq(linkRequests.status, "pending"),
      ),
    );
  return row && asLinkRequest(row);
}

/**
 * The user's pending request, now for `agentId`: a second `link` to another agent replaces the
 * first rather than failing on the one-pending index (also when two arrive at once).
 */
export async function requestLink(
  db: Queryable,
  request: { platform: string; userId: string; agentId: string; at: Date },
): Promise<LinkRequest> {
  const [row] = await db
    .insert(linkRequests)
    .values({ ...request, requestedAt: request.at, status: "pending" })
    .onConflictDoUpdate({
      target: [linkRequests.platform, linkRequests.userId],
      targetWhere: sql`${linkRequests.status} = 'pending'`,
      set: { agentId: request.agentId, requestedAt: request.at },
    })
    .returning();
  return asLinkRequest(row!);
}

export async function linkRequestById(db: Queryable, id: number): Promise<LinkRequest | undefined> {
  const [row] = await db.select().from(linkRequests).where(eq(linkRequests.id, id));
  return row && asLinkRequest(row);
}

/**
 * Decides a pending request; undefined when it was no longer pending (decided by someone else a
 * moment ago): the first decision stands.
 */
export async function decideLink(
  db: Queryable,
  id: number,
  decision: { status: "approved" | "rejected"; by: string; at: Date },
): Promise<LinkRequest | undefined> {
  const [row] = await db
    .update(linkRequests)
    .set({ status: decision.status, decidedBy: decision.by, decidedAt: decision.at })
    .where(and(eq(linkRequests.id, id), eq(linkRequests.status, "pending")))
    .returning();
  return row && asLinkRequest(row);
}

/** The approved link as a chat identity; false when the chat user already has one (roster or link). */
export async function addLinkedIdentity(
  db: Queryable,
  identity: { platform: string; userId: string; agentId: string },
): Promise<boolean> {
  const done = await db
    .insert(chatIdentities)
    .values({ ...identity, origin: "link" })
    .onConflictDoNothing()
    .returning({ agentId: chatIdentities.agentId });
  return done.length > 0;
}
