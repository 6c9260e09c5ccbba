// Runs chart-worker.ts in a child process when kpi runs from its TypeScript sources (tests,
// npm run kpi); the built dist/ forks dist/digest/chart-worker.js directly.
import { register } from "tsx/esm/api";

register();
await import("./chart-worker.ts");
