import type { IncomingMessage } from "node:http";

/**
 * A webhook body is small: none of Slack, Feishu and DingTalk publishes a larger limit, and their
 * biggest messages (Slack's 40,000 characters, Feishu's 150 KB text) stay well under a megabyte,
 * encrypted or form-encoded. Bolt's own receivers stop at 4 MB; anything over 1 MB is not a
 * platform's.
 */
export const MAX_BODY_BYTES = 1 << 20;

export type BodyRead =
  /** The raw bytes, as sent: signatures are over exactly these. */
  | { kind: "read"; body: Buffer }
  /** Over the limit: declared so, or streamed past it. Nothing more is read. */
  | { kind: "too_large" }
  /** The client hung up (or timed out) before the end. */
  | { kind: "gone" };

/**
 * The body, read no further than `maxBytes`: a Content-Length over it is refused before a byte is
 * read, a chunked body as soon as it passes it, and then the request is paused so the socket
 * buffers nothing more. Answering and hanging up are the caller's. `accepted` runs once the
 * declared length is known to be within the limit, before reading: where a client waits for
 * "100 Continue", that is the moment to send it.
 */
export function readBody(req: IncomingMessage, maxBytes: number, accepted?: () => void): Promise<BodyRead> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.resolve({ kind: "too_large" });
  accepted?.();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: BodyRead) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      req.pause();
      chunks.length = 0;
      settle({ kind: "too_large" });
    };
    const onEnd = () => settle({ kind: "read", body: Buffer.concat(chunks, size) });
    // "close" before "end": aborted, reset, or cut off by the server's request timeout.
    const onGone = () => settle({ kind: "gone" });
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("close", onGone);
  });
}
