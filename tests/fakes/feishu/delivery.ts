import { createCipheriv, createHash, randomBytes } from "node:crypto";

/**
 * How Feishu posts an event when the app has an Encrypt Key: the JSON is encrypted into
 * `{"encrypt": …}` and the request is signed. Checked against the SDK 1.74 (AESCipher.decrypt,
 * RequestHandle.checkIsEventValidated), not only against the docs.
 */

export interface Delivery {
  /** The raw request body. */
  body: string;
  headers: Record<string, string>;
}

export interface SignedBy {
  encryptKey: string;
  /** Seconds since the epoch, as Feishu sends it. */
  timestamp: number;
  nonce?: string;
}

/** base64(iv + AES-256-CBC(key = SHA-256(encryptKey), iv, PKCS#7-padded UTF-8 JSON)). */
export function encryptForFeishu(plaintext: string, encryptKey: string, iv = randomBytes(16)): string {
  const key = createHash("sha256").update(encryptKey).digest();
  // Node pads with PKCS#7 unless told not to.
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64");
}

/** X-Lark-Signature: hex SHA-256 of timestamp + nonce + encryptKey + the raw body. */
export function feishuSignature(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash("sha256")
    .update(timestamp + nonce + encryptKey + body)
    .digest("hex");
}

/** The request Feishu would send for `payload` (an event envelope, a url_verification, …). */
export function encryptAndSign(payload: unknown, { encryptKey, timestamp, nonce }: SignedBy): Delivery {
  // Compact JSON, as Feishu sends it: the SDK checks the signature over JSON.stringify of the
  // parsed body, not over the bytes received, so any other spacing would fail its check.
  const body = JSON.stringify({ encrypt: encryptForFeishu(JSON.stringify(payload), encryptKey) });
  const ts = String(timestamp);
  const once = nonce ?? randomBytes(8).toString("hex");
  return {
    body,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "X-Lark-Request-Timestamp": ts,
      "X-Lark-Request-Nonce": once,
      "X-Lark-Signature": feishuSignature(ts, once, encryptKey, body),
    },
  };
}
