import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { FakeFailure, FakeSlackCall } from "./server.ts";
import type { ApiArgs, ApiResult, FakeSlackState } from "./web-api-methods.ts";

/**
 * Slack's external file upload, as the fake plays it: files.getUploadURLExternal hands out an
 * upload URL on the fake (Slack's is on files.slack.com, authorised by the URL itself, no
 * token), the bytes are POSTed there raw or as multipart, and files.completeUploadExternal
 * finishes the file and, with a channel_id, posts it there as a message of its own.
 */

export interface FakeUpload {
  fileId: string;
  filename: string;
  /** The `length` given to files.getUploadURLExternal. */
  declaredLength: number;
  alt: string | undefined;
  /** What reached the upload URL; undefined until it did. */
  bytes: Uint8Array | undefined;
  title: string | undefined;
  /** The channel completeUploadExternal shared it into; undefined while it is private. */
  channel: string | undefined;
}

const UPLOAD_PATH = /^\/upload\/v1\/(F[A-Z0-9]+)\/([0-9a-f]+)$/;
/** Slack checks channel_id against ^[CGDZ][A-Z0-9]{8,}$; the fake's ids may hold "_" (D_ZHANG). */
const CHANNEL_ID = /^[CGDZ][A-Z0-9_]{2,}$/;

export function fakeFiles(state: FakeSlackState) {
  const uploads = new Map<string, FakeUpload & { secret: string }>();
  let base = "";
  let count = 0;

  function getUploadUrl(args: ApiArgs): ApiResult {
    const filename = typeof args.filename === "string" ? args.filename : "";
    const length = Number(args.length);
    if (filename === "" || !Number.isInteger(length) || length <= 0)
      return { ok: false, error: "invalid_arguments" };
    const alt = typeof args.alt_txt === "string" ? args.alt_txt : undefined;
    if (alt !== undefined && alt.length > 1000) return { ok: false, error: "alt_txt_too_large" };
    const fileId = `F0FAKE${String(++count).padStart(4, "0")}`;
    const secret = randomBytes(8).toString("hex");
    uploads.set(fileId, {
      fileId,
      filename,
      declaredLength: length,
      alt,
      bytes: undefined,
      title: undefined,
      channel: undefined,
      secret,
    });
    return { ok: true, upload_url: `${base}/upload/v1/${fileId}/${secret}`, file_id: fileId };
  }

  function completeUpload(args: ApiArgs): ApiResult {
    const files = Array.isArray(args.files) ? (args.files as { id?: unknown; title?: unknown }[]) : [];
    if (files.length === 0) return { ok: false, error: "invalid_arguments" };
    const channel =
      typeof args.channel_id === "string" && args.channel_id !== "" ? args.channel_id : undefined;
    if (channel !== undefined && !CHANNEL_ID.test(channel)) return { ok: false, error: "invalid_arguments" };
    const found = files.map((f) => uploads.get(String(f.id)));
    // A file whose bytes never arrived (or arrived short) is not finished.
    if (found.some((u) => u?.bytes === undefined || u.bytes.length !== u.declaredLength)) {
      return { ok: false, error: "file_not_found" };
    }
    found.forEach((upload, i) => {
      upload!.title = typeof files[i]!.title === "string" ? (files[i]!.title as string) : upload!.filename;
      upload!.channel = channel;
    });
    if (channel !== undefined) {
      state.tsCount += 1;
      const ts = `${Math.floor(state.now().getTime() / 1000)}.${String(state.tsCount).padStart(6, "0")}`;
      const ids = found.map((u) => u!.fileId);
      state.messages.push({
        channel,
        ts,
        text: undefined,
        blocks: undefined,
        thread_ts: undefined,
        files: ids,
      });
    }
    return { ok: true, files: found.map((u) => ({ id: u!.fileId, title: u!.title })) };
  }

  /** Answers a POST to an upload URL; the call it records has method "upload_url". */
  async function receive(
    req: IncomingMessage,
    res: ServerResponse,
    failure: FakeFailure | undefined,
  ): Promise<FakeSlackCall> {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const [, fileId = "", secret] = UPLOAD_PATH.exec(path) ?? [];
    const upload = uploads.get(fileId);
    const bytes = await bodyFile(req);
    const call = (status: number): FakeSlackCall => ({
      method: "upload_url",
      body: { fileId, length: bytes.length },
      headers: req.headers,
      status,
      receivedAt: Date.now(),
    });
    if (failure !== undefined && "hang" in failure) {
      if (failure.hang === "processed" && upload !== undefined && upload.secret === secret)
        upload.bytes = bytes;
      return call(0);
    }
    const status = failure === undefined ? 200 : "error" in failure ? 400 : failure.status;
    if (failure !== undefined) {
      const headers = "retryAfter" in failure ? { "retry-after": String(failure.retryAfter) } : {};
      res.writeHead(status, { "content-type": "text/plain", ...headers }).end("upload failed (fake)");
      return call(status);
    }
    if (upload === undefined || upload.secret !== secret) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
      return call(404);
    }
    upload.bytes = bytes;
    res.writeHead(200, { "content-type": "text/plain" }).end(`OK - ${bytes.length}`);
    return call(200);
  }

  return {
    setBase: (url: string) => {
      base = url;
    },
    isUpload: (req: IncomingMessage) => req.method === "POST" && (req.url ?? "").startsWith("/upload/v1/"),
    methods: {
      "files.getUploadURLExternal": getUploadUrl,
      "files.completeUploadExternal": completeUpload,
    } as Record<string, (args: ApiArgs) => ApiResult>,
    receive,
    uploads: (): FakeUpload[] => [...uploads.values()].map(({ secret: _, ...upload }) => upload),
  };
}

/** The file in a multipart body (its first file part), or the whole body when it is raw bytes. */
async function bodyFile(req: IncomingMessage): Promise<Uint8Array> {
  const type = req.headers["content-type"] ?? "application/octet-stream";
  const body = new Response(Readable.toWeb(req) as ReadableStream, { headers: { "content-type": type } });
  if (!type.startsWith("multipart/form-data")) return new Uint8Array(await body.arrayBuffer());
  const file = [...(await body.formData()).values()].find((value) => value instanceof Blob);
  return file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
}
