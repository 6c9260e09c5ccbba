#!/usr/bin/env node
// The `kpi` command. It runs the build in dist/ (made by `npm ci` / `npm run build`); without
// one, it runs the TypeScript sources through tsx.
import { existsSync } from "node:fs";

const built = new URL("../dist/cli/main.js", import.meta.url);
let main;
if (existsSync(built)) ({ main } = await import(built.href));
else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/main.ts"));
}
if (process.env.KPI_REPORT_RESOURCES === "1") {
  // For benchmarks: what this process used, read by the parent (bench/chatlog).
  process.on("exit", () => {
    const r = process.resourceUsage();
    process.stderr.write(
      `${JSON.stringify({ maxRssKiB: r.maxRSS, userMs: r.userCPUTime / 1000, systemMs: r.systemCPUTime / 1000 })}\n`,
    );
  });
}
process.exitCode = await main(process.argv.slice(2));
