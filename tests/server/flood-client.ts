import { connect, type Socket } from "node:net";

/**
 * A hostile client on a raw socket: it POSTs a huge body generated chunk by chunk (one 64 KiB
 * buffer sent over and over, never the whole body in memory) and goes on sending after any
 * answer, until the body is out whole or the server closes the connection. It measures the
 * answer, how long it took, and how much of the body got out before the server cut it off.
 */

const CHUNK = Buffer.alloc(64 * 1024, "x");
const CRLF = Buffer.from("\r\n");

export interface FloodOptions {
  path: string;
  /** Body bytes to send in all. */
  totalBytes: number;
  /** Content-Length: totalBytes when true; chunked transfer encoding, no length, otherwise. */
  declareLength: boolean;
  headers?: Record<string, string>;
  /** Sends "Expect: 100-continue", and the body only after a 100 Continue. */
  expectContinue?: boolean;
}

export interface FloodResult {
  /** The final answer's status, or undefined when the connection closed without one. */
  status: number | undefined;
  /** Whether a 100 Continue came first. */
  continued: boolean;
  /** From the request's first byte to the final answer's first byte. */
  answeredMs: number | undefined;
  /** Body bytes the operating system took from the client before the connection closed. */
  bodyBytesSent: number;
  /** Whether the connection closed before the whole body was sent. */
  cutOff: boolean;
}

export async function flood(baseUrl: string, options: FloodOptions): Promise<FloodResult> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.on("error", () => {}); // EPIPE or ECONNRESET once the server hangs up: expected.
  let isClosed = false;
  const closed = new Promise<void>((resolve) =>
    socket.once("close", () => {
      isClosed = true;
      resolve();
    }),
  );

  const startedAt = performance.now();
  let answer = "";
  let continued = false;
  let answeredMs: number | undefined;
  let firstLine = () => {};
  const firstAnswer = new Promise<void>((resolve) => {
    firstLine = resolve;
  });
  socket.on("data", (data: Buffer) => {
    if (answer.length < 4096) answer += data.toString("latin1");
    if (answer.startsWith("HTTP/1.1 100 ")) {
      continued = true;
      answer = answer.slice(answer.indexOf("\r\n\r\n") + 4);
    }
    if (answer.startsWith("HTTP/") && answeredMs === undefined) answeredMs = performance.now() - startedAt;
    if (continued || answeredMs !== undefined) firstLine();
  });

  socket.write(
    [
      `POST ${options.path} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
      options.declareLength ? `Content-Length: ${options.totalBytes}` : "Transfer-Encoding: chunked",
      ...(options.expectContinue ? ["Expect: 100-continue"] : []),
      "",
      "",
    ].join("\r\n"),
  );
  let sent = 0;
  if (options.expectContinue) await Promise.race([firstAnswer, closed]);
  const sending = !options.expectContinue || continued;
  while (sending && sent < options.totalBytes && !isClosed) {
    const size = Math.min(CHUNK.length, options.totalBytes - sent);
    const chunk = size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size);
    const frame = options.declareLength ? [chunk] : [Buffer.from(`${size.toString(16)}\r\n`), chunk, CRLF];
    // A frame at a time, once the operating system took the last: nothing piles up in here.
    const out = await Promise.race([Promise.all(frame.map((part) => written(socket, part))), closed]);
    if (!out?.every(Boolean)) break;
    sent += size;
  }
  if (!isClosed) {
    if (sending && !options.declareLength) socket.write("0\r\n\r\n");
    socket.end();
  }
  await closed;
  const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
  return {
    status: status ? Number(status[1]) : undefined,
    continued,
    answeredMs,
    bodyBytesSent: sent,
    cutOff: sent < options.totalBytes,
  };
}

/** True once the bytes are handed to the operating system, false if the socket failed first. */
function written(socket: Socket, bytes: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(false);
    socket.write(bytes, (error) => resolve(!error));
  });
}
