import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirLocked } from "../../src/store/data-dir-lock.ts";
import { openStore, rowsOf } from "../../src/store/database.ts";
import { shops } from "../../src/store/schema.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

describe.each(STORE_KINDS)("the %s store", (kind) => {
  it("creates every table at open and keeps what is written", async () => {
    const store = await openTestStore(kind);
    try {
      await store.db.insert(shops).values({ id: "s1", name: "旗舰店", platform: "taobao" });
      const rows = await store.db.select().from(shops);
      expect(rows).toMatchObject([{ id: "s1", name: "旗舰店", timeZone: "Asia/Shanghai" }]);
      // 22, and the three of quality review (qa_conversations, qa_reviews, qa_ratings).
      const tables = await store.db.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      expect(Number(rowsOf<{ n: number }>(tables)[0]?.n)).toBe(29);
    } finally {
      await store.close();
    }
  });
});

describe("the embedded database directory", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it("refuses a second opener with a clear error, and opens again once the first has closed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kpi-data-"));
    dirs.push(dir);
    const first = await openStore({ dataDir: dir });
    await expect(openStore({ dataDir: dir })).rejects.toThrow(DataDirLocked);
    await expect(openStore({ dataDir: dir })).rejects.toThrow(/in use by process \d+.*DATABASE_URL/s);
    await first.db.insert(shops).values({ id: "s1", name: "店", platform: "jd" });
    await first.close();
    const again = await openStore({ dataDir: dir });
    expect(await again.db.select().from(shops)).toHaveLength(1);
    await again.close();
  });
});
