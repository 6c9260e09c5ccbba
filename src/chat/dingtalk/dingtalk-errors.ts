import { ChatSendError } from "../adapter.ts";

/**
 * A robot's markdown and ActionCard messages cannot be edited once sent (only interactive cards
 * can, by outTrackId). Sending a fresh copy instead would look like an edit to the caller while
 * the chat shows both, so update() refuses, and the caller decides whether to send anew.
 */
export const unEditable = () =>
  new ChatSendError("dingtalk", "robot messages cannot be edited; send a new message instead", false);

export const noDirectMessages = () =>
  new ChatSendError("dingtalk", "webhook robots cannot send direct messages", false);
