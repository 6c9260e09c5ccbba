import type { IncomingMessage } from "node:http";

/** A webhook body is small; anything over a megabyte is not a platform's and is not read on. */
export const MAX_BODY_BYTES = 1 << 20;

/** The raw body as UTF-8 text (signatures are over these exact bytes), or undefined when too big. */
export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
