// Runs chatlog-worker.ts in a worker thread when kpi runs from its TypeScript sources (tests,
// npm run kpi); the built dist/ starts dist/sources/chatlog-worker.js directly.
import { register } from "tsx/esm/api";

register();
await import("./chatlog-worker.ts");
