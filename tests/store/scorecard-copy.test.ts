import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/database.ts";
import { auditLog } from "../../src/store/schema.ts";
import { COPY_FROM_CARDS, copyCards, firstCardsOf } from "../../src/store/scorecard-copy.ts";
import {
  cardRow,
  type StoredScorecard,
  saveScorecards,
  scorecardsOf,
} from "../../src/store/scorecard-repo.ts";
import { threeMonthCards } from "../support/month-cards.ts";
import { openSyncedStore, STORE_KINDS } from "../support/stores.ts";

/**
 * A big period's first cards go by COPY straight into scorecards (store/scorecard-copy.ts), other
 * writers of cards held off meanwhile; a period with cards by the audited upsert. Either way what
 * is read back is what was saved.
 */

const CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, accounts: [{ shop: s1, account: 小张 }] }
`;
const NOW = new Date("2026-12-01T02:00:00Z");
const COUNT = COPY_FROM_CARDS + 500;

/** COUNT cards of one month, three kinds of card over and over, one with a team name in Chinese that COPY must escape. */
async function bigPeriod(schemeVersionId: number): Promise<StoredScorecard[]> {
  const base = await threeMonthCards('售前\\b"c\td\ne');
  return Array.from({ length: COUNT }, (_, i) => {
    const { card, advice } = base[i % base.length]!;
    return {
      card: { ...card, agent: `a${String(i).padStart(5, "0")}` },
      schemeVersionId,
      pending: i % 7 === 0 ? ["conversion_rate"] : [],
      ...(advice ? { advice } : {}),
    };
  });
}

const texts = (list: StoredScorecard[]) =>
  [...list].sort((a, b) => (a.card.agent < b.card.agent ? -1 : 1)).map((c) => JSON.stringify(c));

describe.each(STORE_KINDS)("a big period's cards (%s)", (kind) => {
  let store: Store;
  let cards: StoredScorecard[];
  beforeEach(async () => {
    const opened = await openSyncedStore(kind, CONFIG, NOW);
    store = opened.store;
    cards = await bigPeriod(opened.schemeVersionId);
  });
  afterEach(() => store.close());

  const rescores = async () =>
    (await store.db.select().from(auditLog).where(eq(auditLog.action, "scorecard.rescore"))).length;

  it("saves the first ones, reads them back as saved, and re-scores them audited, card by card", async () => {
    expect(await saveScorecards(store.db, "month", "2026-11", cards, "t", NOW)).toBe(0);
    expect(texts(await scorecardsOf(store.db, "month", "2026-11"))).toEqual(texts(cards));
    const moved = cards.map((c, i) =>
      i % Math.floor(COUNT / 3) === 3 ? { ...c, card: { ...c.card, total: 12.5, grade: "D" } } : c,
    );
    expect(await saveScorecards(store.db, "month", "2026-11", moved, "again", NOW)).toBe(3);
    expect(await rescores()).toBe(3);
    expect(texts(await scorecardsOf(store.db, "month", "2026-11"))).toEqual(texts(moved));
    // Another period's first cards are not held up by this one's.
    expect(await saveScorecards(store.db, "month", "2026-10", cards, "t", NOW)).toBe(0);
    expect(await scorecardsOf(store.db, "month", "2026-10")).toHaveLength(COUNT);
  });

  it("upserts, audited, when the period has a card already", async () => {
    const other = { ...cards[3]!, card: { ...cards[3]!.card, total: 1, grade: "D" } };
    await saveScorecards(store.db, "month", "2026-11", [other], "elsewhere", NOW);
    expect(await saveScorecards(store.db, "month", "2026-11", cards, "t", NOW)).toBe(1);
    expect(texts(await scorecardsOf(store.db, "month", "2026-11"))).toEqual(texts(cards));
    const audit = await store.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, "scorecard.rescore"),
          eq(auditLog.subject, `agent:${other.card.agent} 2026-11`),
        ),
      );
    expect(audit).toHaveLength(1);
  });

  it("holds off another save of cards while it copies, and lets it through after", async () => {
    let other: Promise<number> | undefined;
    let otherDone = false;
    await store.db.transaction(async (tx) => {
      expect(await firstCardsOf(tx, "month", "2026-11")).toBe(true);
      other = saveScorecards(store.db, "month", "2026-11", [cards[3]!], "elsewhere", NOW).then((n) => {
        otherDone = true;
        return n;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(otherDone).toBe(false);
      await copyCards(store.db, tx, "month", "2026-11", cards.map(cardRow), NOW);
    });
    // It came after the COPY: an upsert of the same card, which moved nothing.
    expect(await other).toBe(0);
    expect(texts(await scorecardsOf(store.db, "month", "2026-11"))).toEqual(texts(cards));
    expect(await rescores()).toBe(0);
  });
});
