/**
 * What quality review adds to a chat-log import (docs/qa.md, "From chat-log imports"): the log's
 * analysis alone, then the second reading that groups its lines into conversations and keeps
 * each agent-day's candidates for the sample. Figures go to docs/qa.md.
 *
 *   npx tsx bench/chatlog/conversations.ts [--messages 200000] [--agents 50] [--days 7] [--format csv|jsonl]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chatlogConversations } from "../../src/sources/chatlog-conversations.ts";
import { analyseChatlog, type ChatlogFiles } from "../../src/sources/chatlog-source.ts";
import { keepConversations } from "../../src/store/conversation-repo.ts";
import { generateChatlog } from "./generate.ts";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "200000" },
    agents: { type: "string", default: "50" },
    days: { type: "string", default: "7" },
    format: { type: "string", default: "csv" },
  },
});
const format = values.format === "jsonl" ? "jsonl" : "csv";
const dir = await mkdtemp(join(tmpdir(), "kpi-bench-conversations-"));
try {
  const summary = await generateChatlog({
    out: dir,
    messages: Number(values.messages),
    agents: Number(values.agents),
    shops: 1,
    days: Number(values.days),
    format,
  });
  const files: ChatlogFiles = {
    messages: summary.files[`messages.${format}`]!,
    ...(summary.files["ratings.csv"] ? { ratings: summary.files["ratings.csv"] } : {}),
  };
  const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
  let start = process.hrtime.bigint();
  const result = await analyseChatlog(files, {}, 1);
  const analysis = seconds(start);
  start = process.hrtime.bigint();
  let peak = process.memoryUsage().rss;
  const chunks = chatlogConversations(files, {}).read();
  async function* watched() {
    for await (const chunk of chunks) {
      peak = Math.max(peak, process.memoryUsage().rss);
      yield chunk;
    }
  }
  const kept = await keepConversations(watched(), [], (shop) => shop);
  const reading = seconds(start);
  console.log(
    JSON.stringify(
      {
        messages: Number(values.messages),
        format,
        agentDays: result.agentDays.length,
        analysisSeconds: Number(analysis.toFixed(2)),
        conversationsSeconds: Number(reading.toFixed(2)),
        conversationsRead: kept.read,
        conversationsKept: kept.candidates().length,
        peakRssMb: Math.round(peak / 2 ** 20),
      },
      null,
      2,
    ),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
