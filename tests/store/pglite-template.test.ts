import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, rowsOf } from "../../src/store/database.ts";
import { makePgliteTemplate, pgliteTemplateFor, pgliteTemplateUrl } from "../../src/store/pglite-template.ts";
import { shops } from "../../src/store/schema.ts";

describe("a new embedded database from the build's template", () => {
  let parent: string;

  beforeAll(async () => {
    // What `npm run build` does; nothing when the build has made it.
    await makePgliteTemplate();
    parent = await mkdtemp(join(tmpdir(), "kpi-template-"));
  });
  afterAll(() => rm(parent, { recursive: true, force: true }));

  it("is named by PGlite's version and offered only where no database is yet", async () => {
    expect(existsSync(pgliteTemplateUrl())).toBe(true);
    expect(pgliteTemplateUrl().pathname).toMatch(/\/dist\/pglite-template-\d+\.\d+\.\d+\.tar\.gz$/);
    expect(await pgliteTemplateFor("memory")).toBeInstanceOf(Blob);
    const fresh = join(parent, "fresh");
    expect(await pgliteTemplateFor(fresh)).toBeInstanceOf(Blob);
    const store = await openStore({ dataDir: fresh });
    await store.close();
    expect(await pgliteTemplateFor(fresh)).toBeUndefined();
  });

  it("is what a new directory and a new in-memory database start from", async () => {
    // A template told apart from PGlite's own initdb by a database of its own.
    const { PGlite } = await import("@electric-sql/pglite");
    const maker = new PGlite();
    await maker.exec("CREATE DATABASE made_from_the_template");
    const marked = pathToFileURL(join(parent, "marked.tar.gz"));
    await writeFile(marked, new Uint8Array(await (await maker.dumpDataDir("gzip")).arrayBuffer()));
    await maker.close();
    for (const dataDir of [join(parent, "marked"), "memory"]) {
      const store = await openStore({ dataDir, pgliteTemplate: marked });
      try {
        const names = await store.db.execute<{ name: string }>(sql`SELECT datname AS name FROM pg_database`);
        expect(rowsOf<{ name: string }>(names).map((d) => d.name)).toContain("made_from_the_template");
        await store.db.insert(shops).values({ id: "s1", name: "旗舰店", platform: "taobao" });
      } finally {
        await store.close();
      }
    }
  });

  it("opens migrated, keeps what is written, and opens again as the database it now is", async () => {
    const dir = join(parent, "kept");
    const first = await openStore({ dataDir: dir });
    try {
      await first.db.insert(shops).values({ id: "s1", name: "旗舰店", platform: "taobao" });
      const databases = await first.db.execute<{ name: string }>(
        sql`SELECT datname AS name FROM pg_database ORDER BY datname`,
      );
      expect(rowsOf<{ name: string }>(databases).map((d) => d.name)).toEqual([
        "postgres",
        "template0",
        "template1",
      ]);
    } finally {
      await first.close();
    }
    const again = await openStore({ dataDir: dir });
    try {
      expect(await again.db.select({ id: shops.id, name: shops.name }).from(shops)).toEqual([
        { id: "s1", name: "旗舰店" },
      ]);
    } finally {
      await again.close();
    }
  });
});
