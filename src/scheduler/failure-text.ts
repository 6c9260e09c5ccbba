/**
 * The text of a failed run as it is stored in job_slots.error and logged. Only the message, never
 * the stack, and with the usual places of secrets blanked: a source's error may quote the URL it
 * fetched, credentials and token parameters included.
 */

const MAX_LENGTH = 500;

const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // scheme://user:password@host
  [/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, "$1***@"],
  // ?token=…, &access_key=…, &sign=…
  [/([?&][\w-]*(?:token|key|secret|password|passwd|sign|signature|auth)[\w-]*=)[^&\s#]+/gi, "$1***"],
  // Authorization: Bearer …
  [/\b(bearer|basic)\s+[\w~+/.=-]+/gi, "$1 ***"],
];

export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error && error.name !== "Error" ? `${error.name}: ` : "";
  let text = `${name}${message}`;
  for (const [pattern, replacement] of SECRET_PATTERNS) text = text.replace(pattern, replacement);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
