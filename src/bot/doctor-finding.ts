/**
 * One line of `kpi doctor`: what was checked, what was found, and, when something is wrong, how
 * to fix it. `skipped` is a check that could not run or does not apply (said why), never a fault.
 */
export interface Finding {
  ok: boolean | "skipped";
  subject: string;
  detail: string;
  fix?: string;
}

export const passed = (subject: string, detail: string): Finding => ({ ok: true, subject, detail });
export const failed = (subject: string, detail: string, fix: string): Finding => ({
  ok: false,
  subject,
  detail,
  fix,
});
export const skipped = (subject: string, detail: string): Finding => ({ ok: "skipped", subject, detail });
