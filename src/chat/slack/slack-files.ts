import type { webApi } from "@slack/bolt";
import { ChatSendError } from "../adapter.ts";
import type { ReplyImage } from "../reply.ts";

/**
 * Pictures into Slack by its external upload flow, split in two so a send can upload before it
 * posts: `stageImage` asks files.getUploadURLExternal for an upload URL and POSTs the bytes
 * there (the file then exists, shared nowhere: doing it twice only leaves an unshared file);
 * `shareImages` is files.completeUploadExternal with the channel, which posts the pictures.
 * The WebClient's filesUploadV2 does all three at once, so it cannot be split around the text
 * message; its step that POSTs the bytes is private, hence the fetch below, which does what it
 * does (multipart, no token: the upload URL itself is the authorisation).
 */

/** How an API call is made and counted (slack-outbound's `call`). */
export type Call = <T>(run: () => Promise<T>) => Promise<T>;

export interface StagedImage {
  id: string;
  title: string;
}

/** As long as a WebClient call may take. */
const UPLOAD_TIMEOUT_MS = 10_000;
/** Slack's limit for alt_txt. */
const MAX_ALT_CHARS = 1000;

export async function stageImage(
  client: webApi.WebClient,
  call: Call,
  image: ReplyImage,
  filename: string,
): Promise<StagedImage> {
  const bytes = Buffer.from(image.pngBase64, "base64");
  // Slack's argument is alt_txt; the SDK's type names it alt_text, which Slack ignores.
  const args = { filename, length: bytes.length, alt_txt: image.alt.slice(0, MAX_ALT_CHARS) };
  const target = await call(() => client.files.getUploadURLExternal(args));
  if (!target.upload_url || !target.file_id) {
    throw new ChatSendError("slack", "files.getUploadURLExternal returned no upload URL", false);
  }
  await call(() => postBytes(target.upload_url!, bytes, filename));
  return { id: target.file_id, title: image.alt.slice(0, 250) };
}

/** Posts the staged pictures into the channel, as one message below what was posted before. */
export async function shareImages(
  client: webApi.WebClient,
  call: Call,
  channel: string,
  images: StagedImage[],
): Promise<void> {
  const [first, ...rest] = images;
  if (first === undefined) return;
  await call(() => client.files.completeUploadExternal({ channel_id: channel, files: [first, ...rest] }));
}

async function postBytes(url: string, bytes: Uint8Array, filename: string): Promise<void> {
  const form = new FormData();
  form.append("filename", new Blob([bytes], { type: "image/png" }), filename);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      body: form,
      redirect: "error",
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
  } catch {
    throw new ChatSendError("slack", "file upload: no answer", true);
  }
  await response.arrayBuffer();
  if (response.status === 200) return;
  const status = response.status;
  const seconds = Number(response.headers.get("retry-after"));
  throw new ChatSendError(
    "slack",
    `file upload: HTTP ${status}`,
    status === 429 || status === 408 || status >= 500,
    status === 429 && seconds > 0 ? seconds * 1000 : undefined,
  );
}
