import type { Reply } from "../reply.ts";
import { terminalTable } from "./terminal-table.ts";

/** A reply as terminal text; cli-table3 measures CJK characters as two columns wide. */
export function renderConsole(reply: Reply): string {
  const parts: string[] = [];
  if (reply.title) parts.push(reply.title);
  for (const block of reply.blocks) {
    if (block.kind === "text") parts.push(block.text);
    else if (block.kind === "heading") parts.push(`■ ${block.text}`);
    else if (block.kind === "note")
      parts.push(
        block.text
          .split("\n")
          .map((line) => `→ ${line}`)
          .join("\n"),
      );
    else if (block.kind === "actions") parts.push(block.actions.map((a) => `[${a.label}]`).join(" "));
    else if (block.kind === "image")
      parts.push(`[${block.alt}] (PNG, ${Math.round((block.pngBase64.length * 3) / 4 / 1024)} KB)`);
    else {
      const table = terminalTable(
        block.head,
        block.head.map((_, i) => (block.numeric?.[i] ? "right" : "left")),
      );
      for (const row of block.rows) table.push(row);
      parts.push(table.toString());
    }
  }
  return parts.join("\n");
}
