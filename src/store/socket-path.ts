import { chmod, lstat, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Where the holder of an embedded database serves it: `socket/.s.PGSQL.5432` in the data
 * directory, in a directory only its user may enter (0700), so no one else can reach the socket
 * even for the moment between its creation and its chmod to 0600. The name is PostgreSQL's, so
 * `psql -h <dataDir>/socket` finds it too. A Unix socket's path is limited (sun_path: 107 bytes on
 * Linux, 103 elsewhere): a data directory too deep for it gets a fresh private directory under
 * the system's temporary directory instead. The path is recorded in the data directory's lock
 * file, which is how clients find it either way.
 */

export const SOCKET_NAME = ".s.PGSQL.5432";
const SUN_PATH_MAX = process.platform === "linux" ? 107 : 103;

export interface SocketPlace {
  /** The socket's absolute path. */
  path: string;
  /** Its private directory. */
  dir: string;
  /** A directory made for this process alone (the long-path case): removed after use. */
  temporary: boolean;
}

export async function socketPlaceFor(dataDir: string): Promise<SocketPlace> {
  const dir = resolve(dataDir, "socket");
  const path = join(dir, SOCKET_NAME);
  if (fits(path)) return { path, dir, temporary: false };
  const made = await mkdtemp(join(tmpdir(), "kpi-bot-")); // mkdtemp makes it 0700
  const inTemp = join(made, SOCKET_NAME);
  if (!fits(inTemp)) {
    await rm(made, { recursive: true, force: true });
    throw new Error(`no socket path short enough: ${inTemp} is over ${SUN_PATH_MAX} bytes`);
  }
  return { path: inTemp, dir: made, temporary: true };
}

/**
 * Makes the directory private and clears a socket a crashed holder left there. Called holding the
 * data directory's lock, so whatever socket is there belongs to no live process.
 */
export async function prepareSocketDir(place: SocketPlace): Promise<void> {
  await mkdir(place.dir, { recursive: true, mode: 0o700 });
  const dir = await lstat(place.dir);
  if (!dir.isDirectory()) throw new Error(`${place.dir} is not a directory`);
  if (typeof process.getuid === "function" && dir.uid !== process.getuid())
    throw new Error(`${place.dir} belongs to another user`);
  await chmod(place.dir, 0o700);
  await rm(place.path, { force: true });
}

/**
 * Removes what this process made for a socket it no longer serves, or never served: a temporary
 * directory. A socket in the data directory is removed by its server on close, or, left by a
 * crash, by the next holder; never here, where it may be a live holder's.
 */
export async function discardSocketPlace(place: SocketPlace): Promise<void> {
  if (place.temporary) await rm(place.dir, { recursive: true, force: true });
}

function fits(path: string): boolean {
  return Buffer.byteLength(path) <= SUN_PATH_MAX;
}
