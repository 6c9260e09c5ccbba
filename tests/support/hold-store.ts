/**
 * A process holding an embedded database, as `kpi` commands hold it: `node --import tsx
 * tests/support/hold-store.ts <dataDir> [serve|no-serve]`. Prints "ready" once open (and serving),
 * closes the store on SIGTERM.
 */
import { openStore } from "../../src/store/database.ts";

const [dataDir, mode = "serve"] = process.argv.slice(2);
const store = await openStore({ dataDir: dataDir!, serve: mode === "serve" });
process.stdout.write(`ready ${JSON.stringify(store.socket ?? null)}\n`);
process.once("SIGTERM", () => {
  void store.close().then(() => process.exit(0));
});
