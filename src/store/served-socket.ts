import { chmod } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";
import { SharedSession } from "./shared-session.ts";
import { discardSocketPlace, prepareSocketDir, type SocketPlace } from "./socket-path.ts";

/**
 * The holder of an embedded database serves it on a Unix socket, so that `kpi` commands run in
 * another terminal reach it (attached-store.ts) instead of finding it locked. Only the holder's
 * user can connect: the socket is 0600 in a 0700 directory, and nothing listens on TCP. Clients
 * share PGlite's one session, taking turns per statement or transaction (shared-session.ts).
 */

export interface ServedSocket {
  path: string;
  /** Stops taking connections, lets the connected clients finish (up to a grace), then ends them. */
  close(): Promise<void>;
}

export interface ServeOptions {
  /** How long a client may hold the session without a word. */
  idleMs?: number;
  /** How long close() lets connected clients finish. Default 5 s. */
  graceMs?: number;
}

const DEFAULT_GRACE_MS = 5_000;

export async function serveSocket(
  pglite: PGlite,
  place: SocketPlace,
  options: ServeOptions = {},
): Promise<ServedSocket> {
  await prepareSocketDir(place);
  const session = new SharedSession(pglite, options.idleMs === undefined ? {} : { idleMs: options.idleMs });
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    const handler = new PGLiteSocketHandler({
      // The handler's queue interface, served by the shared session (see shared-session.ts).
      queryQueue: session as unknown as PGLiteSocketHandlerOptions["queryQueue"],
      closeOnDetach: true,
    });
    session.register(handler.handlerId, { cutOff: () => socket.destroy() });
    handler.attach(socket).catch(() => {
      socket.destroy();
      void session.clearTransactionIfNeeded(handler.handlerId);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(place.path, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // A connection failing later is the handler's business; the server itself has no more to say.
  server.on("error", () => {});
  try {
    await chmod(place.path, 0o600);
  } catch (error) {
    server.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    path: place.path,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const until = Date.now() + (options.graceMs ?? DEFAULT_GRACE_MS);
        while (open.size > 0 && Date.now() < until) await sleep(20);
        for (const socket of open) socket.destroy();
        await stopped;
        await session.ended();
        await discardSocketPlace(place);
      })();
      return closing;
    },
  };
}
