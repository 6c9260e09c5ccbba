import type { ChatAdapter, Destination, SentMessage } from "../adapter.ts";
import type { Reply } from "../reply.ts";
import { renderConsole } from "./render.ts";

/**
 * The embedded default when no chat platform is configured: what would be posted is printed to
 * the terminal. Commands come in through `kpi chat --as <agent>`, not through this adapter.
 */
export function createConsoleAdapter(write: (text: string) => void): ChatAdapter {
  let sent = 0;
  const header = (to: Destination) => (to.kind === "channel" ? `# ${to.id}` : `@ ${to.userId}`);
  return {
    platform: "console",
    routes: [],
    async send(to: Destination, reply: Reply): Promise<SentMessage> {
      sent += 1;
      write(`── ${header(to)} ──\n${renderConsole(reply)}`);
      return { platform: "console", ref: String(sent) };
    },
    sendScopes: () => [],
    async update(message: SentMessage, reply: Reply): Promise<void> {
      write(`── message ${message.ref}, updated ──\n${renderConsole(reply)}`);
    },
    async start() {},
    async stop() {},
  };
}
