import type { IncomingMessage } from "node:http";
import type { ApiArgs } from "./web-api-methods.ts";

// Slack accepts these arguments JSON-encoded inside a form body, which is how @slack/web-api sends them.
const jsonInForm = new Set(["blocks", "attachments", "metadata", "files"]);

function parseForm(text: string): ApiArgs {
  const args: ApiArgs = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = jsonInForm.has(key) ? parseJsonOr(value) : value;
  }
  return args;
}

export function parseJsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The body's arguments, and whether a `token` field counts: Slack reads it from forms, not from JSON. */
export function parseArgs(
  req: IncomingMessage,
  text: string,
): { args: ApiArgs; tokenInBody: boolean } | "invalid_json" {
  const mediaType = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json") return { args: parseForm(text), tokenInBody: true };
  if (text === "") return { args: {}, tokenInBody: false };
  const parsed = parseJsonOr(text);
  if (typeof parsed !== "object" || parsed === null) return "invalid_json";
  return { args: parsed as ApiArgs, tokenInBody: false };
}

export function tokenOf(req: IncomingMessage, args: ApiArgs, tokenInBody: boolean): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (bearer) return bearer[1];
  return tokenInBody && typeof args.token === "string" ? args.token : undefined;
}
