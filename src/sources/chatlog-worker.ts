import { parentPort, workerData } from "node:worker_threads";
import { type PartJob, readPart, transferablesOf } from "./chatlog-parts.ts";

/**
 * A worker thread that reads one part of a messages file (chatlog-parallel.ts): it reads its
 * byte range, tells the main thread which sessions were still open at its end, waits for the
 * previous part's open sessions, and sends back its state.
 */
const port = parentPort!;
let resolveContinuing: (names: Set<string>) => void = () => {};
const continuing = new Promise<Set<string>>((resolve) => {
  resolveContinuing = resolve;
});
let resolveLaterEarly: (names: Set<string>) => void = () => {};
const laterEarly = new Promise<Set<string>>((resolve) => {
  resolveLaterEarly = resolve;
});
port.on("message", (message: { continuing?: string[]; laterEarly?: string[] }) => {
  if (message.continuing) resolveContinuing(new Set(message.continuing));
  if (message.laterEarly) resolveLaterEarly(new Set(message.laterEarly));
});
try {
  const result = await readPart(workerData as PartJob, {
    sendOpenAtEnd: (names) => port.postMessage({ openAtEnd: names }),
    receiveContinuing: () => continuing,
    sendEarly: (names) => port.postMessage({ early: names }),
    receiveLaterEarly: () => laterEarly,
  });
  port.postMessage({ result }, transferablesOf(result.state));
} catch (error) {
  port.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}
