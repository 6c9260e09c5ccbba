import { existsSync, readFileSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * A new embedded database starts from a template: the data directory of a just-initialised
 * PGlite, as the gzipped tar PGlite itself dumps, made once by `npm run build`. Without it, PGlite
 * runs initdb in a second WebAssembly instance of itself beside the first, then dumps what that
 * made and loads it: about 850 MB at the peak and twice the time, where loading the template
 * peaks near 390 MB (docs/benchmarks.md). The file is named by PGlite's version, so another
 * version finds none and initialises as before.
 */

/** The project's root: this module is in src/store (tsx) or dist/store (the build). */
const ROOT = new URL("../../", import.meta.url);

let installedVersion: string | undefined;

function pgliteVersion(): string {
  if (installedVersion === undefined) {
    const entry = import.meta.resolve("@electric-sql/pglite");
    const manifest = JSON.parse(readFileSync(new URL("../package.json", entry), "utf8")) as {
      version: string;
    };
    installedVersion = manifest.version;
  }
  return installedVersion;
}

export const pgliteTemplateUrl = (): URL => new URL(`dist/pglite-template-${pgliteVersion()}.tar.gz`, ROOT);

/**
 * The template for a data directory with no database in it yet ("memory" is always new), or
 * undefined: the directory holds one (PGlite refuses to load over it), or no build made a template.
 */
export async function pgliteTemplateFor(dataDir: string, template?: URL): Promise<Blob | undefined> {
  // An existing database (every open but the first) looks no further.
  if (dataDir !== "memory" && existsSync(join(dataDir, "PG_VERSION"))) return undefined;
  try {
    return new Blob([await readFile(template ?? pgliteTemplateUrl())]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Makes the template if the build has none for this PGlite: its own initdb, once. */
export async function makePgliteTemplate(): Promise<URL> {
  const url = pgliteTemplateUrl();
  if (existsSync(url)) return url;
  const { PGlite } = await import("@electric-sql/pglite");
  const client = new PGlite();
  await client.waitReady;
  const tar = await client.dumpDataDir("gzip");
  await client.close();
  // Written whole or not at all: a half-written template would fail every new database.
  const partial = new URL(`${url.href}.${process.pid}.partial`);
  await writeFile(partial, new Uint8Array(await tar.arrayBuffer()));
  await rename(partial, url);
  return url;
}
