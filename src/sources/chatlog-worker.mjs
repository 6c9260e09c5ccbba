// A worker thread that reads one part of a messages file (chatlog-parallel.ts). The sources are
// TypeScript, so tsx is registered here first, as bin/kpi.js does for the main thread.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { readPart, transferablesOf } = await import("./chatlog-parts.ts");
let continuing;
const received = new Promise((resolve) => {
  continuing = resolve;
});
parentPort.on("message", (message) => {
  if (message.continuing) continuing(new Set(message.continuing));
});
try {
  const result = await readPart(workerData, {
    sendOpenAtEnd: (names) => parentPort.postMessage({ openAtEnd: names }),
    receiveContinuing: () => received,
  });
  parentPort.postMessage({ result }, transferablesOf(result.state));
} catch (error) {
  parentPort.postMessage({
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
}
