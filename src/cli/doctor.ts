import { parseArgs } from "node:util";
import { type Finding, runDoctor } from "../bot/doctor.ts";
import { InvalidInput } from "../engine/index.ts";
import { doctorSpec } from "./command-options.ts";
import type { Output } from "./options.ts";

/** `kpi doctor`: one line a check, ✓ or ✗ (– for a check that did not apply); exit 1 when any failed. */

const MARK = { true: "✓", false: "✗", skipped: "–" } as const;

export function findingLine(finding: Finding): string {
  const fix = finding.ok === false && finding.fix ? ` → ${finding.fix}` : "";
  return `${MARK[String(finding.ok) as keyof typeof MARK]} ${finding.subject}: ${finding.detail}${fix}`;
}

export async function doctorCommand(args: string[], out: Output, env = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: doctorSpec.options,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new InvalidInput("doctor", `takes no arguments (got "${positionals.join(" ")}")`);
  const findings = await runDoctor({
    ...(values.config === undefined ? {} : { configPath: values.config }),
    env,
  });
  for (const finding of findings) out.stdout(findingLine(finding));
  const problems = findings.filter((f) => f.ok === false).length;
  out.stdout(problems === 0 ? "all well" : `${problems} problem${problems === 1 ? "" : "s"} to fix`);
  return problems === 0 ? 0 : 1;
}
