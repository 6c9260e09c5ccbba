import type { IncomingMessage, ServerResponse } from "node:http";
import { readText } from "../http-body.ts";

export { isRecord } from "../http-body.ts";

/** A request body as the fakes see it: parsed JSON, `undefined` when empty, the raw text when not JSON. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json;charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}
