import type { IncomingMessage } from "node:http";
import { FEISHU_ERRORS, type FeishuAnswer, failure, success } from "./answers.ts";
import type { ImRequest } from "./messages.ts";

/**
 * Feishu's image upload (POST /open-apis/im/v1/images, multipart: image_type and image), which
 * gives the image_key a card's `img` element shows. The SDK sends a Buffer as a part without a
 * filename (its README's own example), which a WHATWG FormData parser would read as text and
 * mangle, hence the small byte-level reader below.
 */

export interface FakeImage {
  imageKey: string;
  imageType: string;
  /** The part's filename, when the client gave one. */
  filename: string | undefined;
  bytes: Uint8Array;
  /** The app whose token uploaded it: a card of another app cannot show it. */
  appId: string;
}

/** One multipart part: text for plain fields, bytes (and filename) for a part of binary content. */
export interface FormPart {
  filename: string | undefined;
  contentType: string | undefined;
  bytes: Uint8Array;
}

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Feishu's answers to an image it cannot take. */
const CANNOT_READ_IMAGE = { code: 234011, msg: "Can't recognise image format." };
const IMAGE_TOO_BIG = { code: 234006, msg: "The file size exceed the max value." };

const SIGNATURES = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
];
const isImage = (bytes: Uint8Array) => SIGNATURES.some((sig) => sig.every((b, i) => bytes[i] === b));

export const isMultipart = (req: IncomingMessage) =>
  (req.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/form-data");

/** The form's fields: a part with no filename and a text content type as a string, else a FormPart. */
export async function readForm(req: IncomingMessage): Promise<Record<string, unknown>> {
  const boundary = /boundary="?([^";]+)"?/i.exec(req.headers["content-type"] ?? "")?.[1];
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const fields: Record<string, unknown> = {};
  if (boundary === undefined) return fields;
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length + 2; // past the delimiter's CRLF
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next - 2); // without the CRLF before the next delimiter
    const headerEnd = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, headerEnd).toString("utf8");
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
    const bytes = new Uint8Array(part.subarray(headerEnd + 4));
    if (name !== undefined) {
      const text = filename === undefined && (contentType === undefined || contentType.startsWith("text/"));
      fields[name] = text
        ? Buffer.from(bytes).toString("utf8")
        : ({ filename, contentType, bytes } satisfies FormPart);
    }
    at = next;
  }
  return fields;
}

/** Answers the image upload, or undefined when the request is for another route. */
export function answerImages(req: ImRequest, images: Map<string, FakeImage>): FeishuAnswer | undefined {
  if (req.method !== "POST" || req.pathname !== "/open-apis/im/v1/images") return undefined;
  const { image_type: imageType, image } = req.body;
  if ((imageType !== "message" && imageType !== "avatar") || !isFormPart(image)) {
    return failure(FEISHU_ERRORS.fieldValidation, "image_type (message|avatar) and image are required");
  }
  if (image.bytes.length === 0 || !isImage(image.bytes)) return { status: 400, body: CANNOT_READ_IMAGE };
  if (image.bytes.length > MAX_IMAGE_BYTES) return { status: 400, body: IMAGE_TOO_BIG };
  const imageKey = `img_v3_fake_${images.size + 1}`;
  images.set(imageKey, {
    imageKey,
    imageType,
    filename: image.filename,
    bytes: image.bytes,
    appId: req.appId,
  });
  return success({ image_key: imageKey });
}

function isFormPart(value: unknown): value is FormPart {
  return typeof value === "object" && value !== null && (value as FormPart).bytes instanceof Uint8Array;
}

/** The img_key of every `img` element in a card, wherever it is nested. */
export function imageKeysIn(card: unknown): string[] {
  if (Array.isArray(card)) return card.flatMap(imageKeysIn);
  if (typeof card !== "object" || card === null) return [];
  const element = card as Record<string, unknown>;
  const own = element.tag === "img" && typeof element.img_key === "string" ? [element.img_key] : [];
  return [...own, ...Object.values(element).flatMap(imageKeysIn)];
}
