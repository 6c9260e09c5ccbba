import { connect, type Socket } from "node:net";

/**
 * postgres.js's TCP connections with Nagle's algorithm off, as libpq sets them. postgres.js leaves
 * it on, and a COPY's closing message then waits for the server's delayed ACK: about 50 ms a COPY
 * on Linux, whatever its size (a COPY of 100 rows into a loopback PostgreSQL took 58 ms, 6 with
 * Nagle off). Given to postgres.js as its `socket` option, which hands over its parsed options and
 * expects a connected socket: the hosts are tried in turn, each within the connect timeout, as
 * postgres.js itself does; TLS is negotiated on the socket by postgres.js as before.
 */

interface SocketOptions {
  host: readonly string[];
  port: readonly number[];
  /** Seconds (postgres.js's connect_timeout); none: the system's. */
  connect_timeout?: number | null;
}

/**
 * Where each client's next connection starts among its hosts (postgres.js gives each client one
 * options object): postgres.js moves on to the next host after each connection, so that a host it
 * turned away (not the primary that target_session_attrs asks for) is not the one taken again.
 */
const nextHost = new WeakMap<SocketOptions, number>();

export async function tcpNoDelay(options: SocketOptions): Promise<Socket> {
  const count = options.host.length;
  const start = nextHost.get(options) ?? 0;
  nextHost.set(options, (start + 1) % count);
  let failure: unknown;
  for (let k = 0; k < count; k++) {
    const i = (start + k) % count;
    const host = options.host[i]!;
    const port = options.port[i] ?? options.port[0]!;
    try {
      const socket = await connected(host, port, options.connect_timeout);
      // postgres.js names the TLS server by the socket's host (SNI), as on its own sockets.
      Object.assign(socket, { host, port });
      return socket;
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

function connected(host: string, port: number, timeoutSeconds: number | null | undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    const timer =
      timeoutSeconds && timeoutSeconds > 0
        ? setTimeout(() => {
            socket.destroy();
            reject(
              Object.assign(new Error(`connect ETIMEDOUT ${host}:${port}`), { code: "CONNECT_TIMEOUT" }),
            );
          }, timeoutSeconds * 1000)
        : undefined;
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
