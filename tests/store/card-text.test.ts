import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CardDocument, cardOfText, cardText } from "../../src/store/card-text.ts";
import type { Store } from "../../src/store/database.ts";
import {
  gradesOfAgents,
  type StoredScorecard,
  saveScorecards,
  scorecardsOf,
  scorecardsOfAgents,
} from "../../src/store/scorecard-repo.ts";
import { threeMonthCards } from "../support/month-cards.ts";
import { openSyncedStore, STORE_KINDS } from "../support/stores.ts";

/**
 * A scorecard is stored as text (store/card-text.ts), its items as rows of values: what is read
 * back is the card that was saved, to the last field and in the same order.
 */

async function cards(): Promise<StoredScorecard[]> {
  return (await threeMonthCards()).map(({ card, advice }) => ({
    card,
    schemeVersionId: 1,
    pending: card.agent === "li" ? ["conversion_rate"] : [],
    ...(advice ? { advice } : {}),
  }));
}

const documentOf = ({ card, pending, advice }: StoredScorecard): CardDocument => ({
  ...card,
  pending,
  ...(advice ? { advice } : {}),
});

describe("a card as text", () => {
  it("reads back as the same document, every field in its order, in about half the text", async () => {
    for (const stored of await cards()) {
      const document = documentOf(stored);
      const text = cardText(document);
      expect(JSON.stringify(cardOfText(text))).toBe(JSON.stringify(document));
      expect(text.length).toBeLessThan(JSON.stringify(document).length * 0.7);
    }
  });

  it("reads back items with fields of their own, an undefined field or fields in another order as they were", async () => {
    const [stored] = await cards();
    const document = documentOf(stored!);
    const [first, second, ...rest] = document.items;
    const uneven = { ...document, items: [first!, { ...second!, note: "x" }, ...rest] } as CardDocument;
    const undefinedField = {
      ...document,
      items: [{ ...first!, actual: undefined }, second!],
    } as CardDocument;
    const { status, ...withoutStatus } = first!;
    const reordered = { ...document, items: [{ status, ...withoutStatus }, second!] } as CardDocument;
    for (const odd of [uneven, undefinedField, reordered]) {
      expect(JSON.stringify(cardOfText(cardText(odd)))).toBe(JSON.stringify(odd));
    }
    // Items of other fields than the usual ones, all alike: rows after their field names.
    const renamed = {
      ...document,
      items: document.items.map(({ status, segments: _, ...item }) => ({ ...item, state: status })),
    };
    const text = cardText(renamed as unknown as CardDocument);
    expect(text).toContain('"keys":');
    expect(JSON.stringify(cardOfText(text))).toBe(JSON.stringify(renamed));
  });

  it("reads a document whose items were stored as objects (jsonb cards before text)", async () => {
    const [stored] = await cards();
    const document = documentOf(stored!);
    expect(cardOfText(JSON.stringify(document))).toEqual(document);
  });
});

const CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, accounts: [{ shop: s1, account: 小张 }] }
  - { id: li, name: 小李, role: presales, team: t1, accounts: [{ shop: s1, account: 小李 }] }
  - { id: xin, name: 小新, role: presales, team: t1, traineeSince: "2026-11-02", accounts: [{ shop: s1, account: 小新 }] }
`;
const NOW = new Date("2026-12-01T02:00:00Z");

describe.each(STORE_KINDS)("cards saved as text (%s)", (kind) => {
  let store: Store;
  let saved: StoredScorecard[];
  beforeEach(async () => {
    const opened = await openSyncedStore(kind, CONFIG, NOW);
    store = opened.store;
    saved = (await cards()).map((c) => ({ ...c, schemeVersionId: opened.schemeVersionId }));
  });
  afterEach(() => store.close());

  const byAgent = (list: StoredScorecard[]) =>
    [...list].sort((a, b) => (a.card.agent < b.card.agent ? -1 : 1)).map((c) => JSON.stringify(c));

  it("reads back every card saved, identical to the last field", async () => {
    expect(await saveScorecards(store.db, "month", "2026-11", saved, "t", NOW)).toBe(0);
    expect(byAgent(await scorecardsOf(store.db, "month", "2026-11"))).toEqual(byAgent(saved));
    expect(byAgent(await scorecardsOfAgents(store.db, ["zhang", "xin"], "month", "2026-11"))).toEqual(
      byAgent(saved.filter((c) => c.card.agent !== "li")),
    );
  });

  it("answers a leaderboard's questions from the text in SQL", async () => {
    await saveScorecards(store.db, "month", "2026-11", saved, "t", NOW);
    const grades = await gradesOfAgents(store.db, ["zhang", "li", "xin"], "month", "2026-11");
    const li = saved.find((c) => c.card.agent === "li")!.card;
    const zhang = saved.find((c) => c.card.agent === "zhang")!.card;
    expect(li.belowCoverage).toBeDefined();
    expect(grades.sort((a, b) => (a.agentId < b.agentId ? -1 : 1))).toEqual([
      {
        agentId: "li",
        total: null,
        grade: null,
        probation: false,
        teamLead: false,
        watchedFor: null,
        pending: true,
        belowCoverage: { coverage: li.coverage, minCoverage: li.belowCoverage!.minCoverage },
        awaitingRating: null,
      },
      expect.objectContaining({ agentId: "xin", probation: true, pending: false, belowCoverage: null }),
      expect.objectContaining({ agentId: "zhang", total: zhang.total, grade: zhang.grade, probation: false }),
    ]);
  });

  it("audits a re-score whose total or grade moved, once, and saves a card unchanged without one", async () => {
    await saveScorecards(store.db, "month", "2026-11", saved, "t", NOW);
    expect(await saveScorecards(store.db, "month", "2026-11", saved, "t", NOW)).toBe(0);
    const moved = saved.map((c) =>
      c.card.agent === "zhang" ? { ...c, card: { ...c.card, total: 91.2, grade: "B" } } : c,
    );
    expect(await saveScorecards(store.db, "month", "2026-11", moved, "again", NOW)).toBe(1);
    expect(byAgent(await scorecardsOf(store.db, "month", "2026-11"))).toEqual(byAgent(moved));
  });
});
