import Table from "cli-table3";

type Align = "left" | "right";

/**
 * The bot's terminal tables: no colours, no rule between rows. cli-table3 measures CJK
 * characters as two columns wide, so Chinese names line up.
 */
export function terminalTable(head: string[], colAligns?: Align[]): InstanceType<typeof Table> {
  return new Table({
    head,
    ...(colAligns ? { colAligns } : {}),
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
}
