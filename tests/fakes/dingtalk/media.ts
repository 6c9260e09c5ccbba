import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";

/**
 * DingTalk's legacy media upload (POST https://oapi.dingtalk.com/media/upload?access_token=…&type=image,
 * multipart with the file in `media`), whose media_id a robot's sampleImageMsg shows as its
 * photoURL. Like every oapi endpoint it answers HTTP 200 with `{errcode, errmsg}`.
 */

export interface FakeMedia {
  mediaId: string;
  type: string;
  filename: string | undefined;
  bytes: Uint8Array;
  /** The app whose token uploaded it. */
  appKey: string;
}

/** The multipart body's file fields as bytes (and names), its other fields as text. */
export interface MultipartBody {
  fields: Record<string, string>;
  files: Record<string, { filename: string; bytes: Uint8Array }>;
}

export const isMultipart = (req: IncomingMessage) =>
  (req.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/form-data");

export async function readMultipart(req: IncomingMessage): Promise<MultipartBody> {
  const type = req.headers["content-type"] ?? "";
  const form = await new Response(Readable.toWeb(req) as ReadableStream, {
    headers: { "content-type": type },
  }).formData();
  const body: MultipartBody = { fields: {}, files: {} };
  for (const [name, value] of form) {
    if (typeof value === "string") body.fields[name] = value;
    else body.files[name] = { filename: value.name, bytes: new Uint8Array(await value.arrayBuffer()) };
  }
  return body;
}

/** DingTalk's image limits for media/upload: JPG, GIF, PNG, BMP, at most 20 MB. */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const SIGNATURES = [
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
  [0x47, 0x49, 0x46, 0x38],
  [0x42, 0x4d],
];

/** The `{errcode, …}` body DingTalk answers an upload with. */
export function answerMediaUpload(
  query: URLSearchParams,
  body: unknown,
  appKey: string | undefined,
  media: Map<string, FakeMedia>,
): Record<string, unknown> {
  if (appKey === undefined) return { errcode: 40014, errmsg: "不合法的access_token" };
  const type = query.get("type");
  if (type !== "image" && type !== "voice" && type !== "video" && type !== "file") {
    return { errcode: 40004, errmsg: "不合法的媒体文件类型" };
  }
  const file = isMultipartBody(body) ? body.files.media : undefined;
  if (file === undefined || file.bytes.length === 0) return { errcode: 41004, errmsg: "缺少media参数" };
  const isImage = SIGNATURES.some((sig) => sig.every((b, i) => file.bytes[i] === b));
  if (type === "image" && (!isImage || file.bytes.length > MAX_IMAGE_BYTES)) {
    return { errcode: 40005, errmsg: "不合法的文件类型" };
  }
  const mediaId = `@lAz${randomBytes(12).toString("base64url")}`;
  media.set(mediaId, { mediaId, type, filename: file.filename, bytes: file.bytes, appKey });
  return { errcode: 0, errmsg: "ok", type, media_id: mediaId, created_at: Date.now() };
}

function isMultipartBody(body: unknown): body is MultipartBody {
  return typeof body === "object" && body !== null && "files" in body && "fields" in body;
}
