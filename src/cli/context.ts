import { resolve } from "node:path";
import { syncConfig } from "../bot/sync-config.ts";
import { type LoadedConfig, loadConfig } from "../config.ts";
import { openStore, type Store } from "../store/database.ts";

/**
 * What the database commands share: the configuration, the store it names (PostgreSQL when
 * DATABASE_URL is set, else PGlite in the configured directory), migrated and in line with the
 * configuration's roster and schemes. A command holding PGlite serves it to the others on a
 * socket; a command finding it held by a live process that serves it works through that socket,
 * as it would on PostgreSQL (migrations and the configuration's sync are idempotent). `kpi start`
 * does not: a second bot in the holder's one session would share its locks and claims.
 */
export interface CommandContext {
  loaded: LoadedConfig;
  store: Store;
  now: () => Date;
  close(): Promise<void>;
}

export async function openContext(
  configPath: string | undefined,
  env = process.env,
  options: { attach?: boolean } = {},
): Promise<CommandContext> {
  const loaded = await loadConfig(configPath);
  const store = await openStore({
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    dataDir: resolve(loaded.baseDir, env.KPI_DATA_DIR ?? loaded.config.dataDir),
    serve: true,
    attach: options.attach ?? true,
  });
  const now = () => new Date();
  try {
    await syncConfig(store.db, loaded, now());
  } catch (error) {
    await store.close();
    throw error;
  }
  return { loaded, store, now, close: () => store.close() };
}
