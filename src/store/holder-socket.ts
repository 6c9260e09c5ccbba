import { connect } from "node:net";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { type DataDirLocked, isAlive } from "./data-dir-lock.ts";

/**
 * A command that finds the embedded database held by a live process reaches it through the
 * socket that process serves (served-socket.ts), named in the lock file. The holder writes the
 * lock before it opens PGlite and serves once PGlite is open, so a holder still starting is
 * waited for, as long as it lives.
 */

export type HolderSocket =
  | { kind: "served"; path: string }
  /** The holder serves no socket we can use: another host's, this very process, or an older kpi. */
  | { kind: "none" }
  /** The holder died while we waited: the lock may be taken over now. */
  | { kind: "gone" }
  /** It lives, names a socket, and the socket did not answer in time. */
  | { kind: "silent"; path: string };

export interface ReachOptions {
  /** How long to wait for a live holder's socket to answer. Default 30 s. */
  waitMs?: number;
}

const DEFAULT_WAIT_MS = 30_000;
const POLL_MS = 100;

export async function reachHolder(locked: DataDirLocked, options: ReachOptions = {}): Promise<HolderSocket> {
  const { ownerSocket: path, ownerPid: pid } = locked;
  if (path === undefined || pid === undefined || pid === process.pid || locked.ownerHost !== hostname())
    return { kind: "none" };
  const until = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  for (;;) {
    if (await answers(path)) return { kind: "served", path };
    if (!isAlive(pid)) return { kind: "gone" };
    if (Date.now() >= until) return { kind: "silent", path };
    await sleep(POLL_MS);
  }
}

/** Whether something accepts a connection on the socket (a left-over file of a dead holder does not). */
export function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
