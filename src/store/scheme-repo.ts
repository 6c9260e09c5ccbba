import { createHash } from "node:crypto";
import { and, desc, eq, lte } from "drizzle-orm";
import { buildScheme, type Scheme } from "../engine/index.ts";
import { recordAudit } from "./audit-repo.ts";
import type { Queryable } from "./database.ts";
import { schemeVersions } from "./schema.ts";

/**
 * Schemes are versioned per role with the day they take effect, and kept whole in the database:
 * a past month is always re-scored with the scheme that was in force then, even after the
 * configuration has moved on.
 */

export interface SchemeVersionInput {
  role: string;
  effectiveFrom: string;
  schemeId: string;
  document: unknown;
}

export interface SchemeInForce {
  versionId: number;
  role: string;
  effectiveFrom: string;
  scheme: Scheme;
}

export function schemeDigest(document: unknown): string {
  return createHash("sha256").update(JSON.stringify(document)).digest("hex");
}

/** Adds new versions and updates changed ones (audited); returns how many changed. */
export async function syncSchemeVersions(
  db: Queryable,
  versions: SchemeVersionInput[],
  actor: string,
  now: Date,
): Promise<number> {
  let changes = 0;
  for (const version of versions) {
    const digest = schemeDigest(version.document);
    const [existing] = await db
      .select({ id: schemeVersions.id, digest: schemeVersions.digest })
      .from(schemeVersions)
      .where(
        and(eq(schemeVersions.role, version.role), eq(schemeVersions.effectiveFrom, version.effectiveFrom)),
      );
    if (existing?.digest === digest) continue;
    const row = {
      role: version.role,
      schemeId: version.schemeId,
      effectiveFrom: version.effectiveFrom,
      document: version.document,
      digest,
    };
    if (existing) await db.update(schemeVersions).set(row).where(eq(schemeVersions.id, existing.id));
    else await db.insert(schemeVersions).values(row);
    changes++;
    await recordAudit(db, {
      at: now,
      actor,
      action: existing ? "scheme.version.change" : "scheme.version.add",
      subject: `scheme:${version.role} from ${version.effectiveFrom}`,
      detail: { schemeId: version.schemeId, digest, previousDigest: existing?.digest ?? null },
    });
  }
  return changes;
}

const built = new Map<string, Scheme>();

/** The version of each role's scheme in force on `day` (YYYY-MM-DD). */
export async function schemesInForce(db: Queryable, day: string): Promise<Map<string, SchemeInForce>> {
  // The versions without their documents: a command asks this on every `me`, and a document is
  // fetched (and built) only the first time its digest is seen.
  const rows = await db
    .select({
      id: schemeVersions.id,
      role: schemeVersions.role,
      schemeId: schemeVersions.schemeId,
      effectiveFrom: schemeVersions.effectiveFrom,
      digest: schemeVersions.digest,
    })
    .from(schemeVersions)
    .where(lte(schemeVersions.effectiveFrom, day))
    .orderBy(schemeVersions.role, desc(schemeVersions.effectiveFrom));
  const byRole = new Map<string, SchemeInForce>();
  for (const row of rows) {
    if (byRole.has(row.role)) continue;
    // Building a scheme validates it again; versions never change in place without a new digest.
    let scheme = built.get(row.digest);
    if (!scheme) {
      const [stored] = await db
        .select({ document: schemeVersions.document })
        .from(schemeVersions)
        .where(eq(schemeVersions.id, row.id));
      scheme = buildScheme(stored!.document, row.schemeId);
      built.set(row.digest, scheme);
    }
    byRole.set(row.role, { versionId: row.id, role: row.role, effectiveFrom: row.effectiveFrom, scheme });
  }
  return byRole;
}

/** Whether a scheme in force scores 差评挽回率 (a role's item, or one a season adds). */
export function scoresRecovery(schemes: Map<string, Pick<SchemeInForce, "scheme">>): boolean {
  return [...schemes.values()].some(({ scheme }) =>
    [
      ...[...scheme.roles.values()].flatMap((r) => r.items),
      ...scheme.seasons.flatMap((s) => s.addItems),
    ].some((item) => item.metric.id === "bad_review_recovery"),
  );
}
