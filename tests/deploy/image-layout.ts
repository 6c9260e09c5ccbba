/**
 * The runtime image's files, laid out in a temporary directory as the Dockerfile's runtime stage
 * copies them (its COPY instructions, read from the file), and its container paths (/app, /data,
 * /config) mapped into that directory. What this cannot reproduce: node_modules is this checkout's
 * (dev dependencies included; tests/deploy/dockerfile.test.ts checks that src needs only
 * production ones), and the process runs as this user, not `node`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execForm, lastOf, PROJECT_ROOT, readDockerfile, stageEnv } from "./deploy-files.ts";

export interface ImageLayout {
  root: string;
  /** The container path's place here: /app/bin → <root>/app/bin. */
  path(containerPath: string): string;
  /** ENTRYPOINT followed by CMD (or `args` in its place). */
  command(args?: string[]): string[];
  healthCommand: string[];
  /** The runtime stage's ENV with its container paths mapped. */
  env: Record<string, string>;
  remove(): void;
}

export function imageLayout(): ImageLayout {
  const { stages } = readDockerfile();
  const runtime = stages.at(-1)!;
  if (!existsSync(join(PROJECT_ROOT, "dist/cli/main.js")))
    throw new Error("the image's dist/ is this checkout's build: run `npm run build` first");
  const root = mkdtempSync(join(tmpdir(), "kpi-image-"));
  const path = (containerPath: string) => join(root, containerPath);
  const workdir = lastOf(runtime, "WORKDIR")!.args;
  for (const copy of runtime.instructions.filter((i) => i.keyword === "COPY")) {
    const words = copy.args.split(/\s+/);
    const from = words.find((w) => w.startsWith("--from="))?.slice("--from=".length);
    const paths = words.filter((w) => !w.startsWith("--"));
    const destination = paths.at(-1)!;
    for (const source of paths.slice(0, -1)) {
      // In the stages, /app holds the build context (and what the build made): this checkout.
      const here = join(PROJECT_ROOT, from === undefined ? source : source.replace(/^\/app\//, ""));
      const target = destination.endsWith("/")
        ? join(path(workdir), destination, source.split("/").at(-1)!)
        : join(path(workdir), destination);
      mkdirSync(join(target, ".."), { recursive: true });
      if (from === "deps") symlinkSync(here, target);
      else cpSync(here, target, { recursive: true });
    }
  }
  const env = Object.fromEntries(
    Object.entries(stageEnv(runtime)).map(([name, value]) => [
      name,
      value.startsWith("/") ? path(value) : value,
    ]),
  );
  mkdirSync(env.KPI_DATA_DIR ?? path("/data"), { recursive: true });
  const healthcheck = lastOf(runtime, "HEALTHCHECK")!.args;
  return {
    root,
    path,
    command: (args) => [
      ...execForm(lastOf(runtime, "ENTRYPOINT")!.args)!,
      ...(args ?? execForm(lastOf(runtime, "CMD")!.args)!),
    ],
    healthCommand: execForm(healthcheck.slice(healthcheck.indexOf("CMD ") + 4))!,
    env,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface RunningContainer {
  child: ChildProcess;
  output(): string;
  waitFor(text: string): Promise<string>;
  exited: Promise<number | null>;
}

/** Runs the image's command in its WORKDIR with only the environment given (no test's own). */
export function runInLayout(
  layout: ImageLayout,
  command: string[],
  env: Record<string, string>,
): RunningContainer {
  const [program, ...args] = command;
  const child = spawn(program === "node" ? process.execPath : program!, args, {
    cwd: layout.path("/app"),
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: layout.root, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listeners = new Set<() => void>();
  const take = (chunk: Buffer) => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout.on("data", take);
  child.stderr.on("data", take);
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    child,
    output: () => output,
    exited,
    waitFor: (text) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (output.includes(text)) {
            listeners.delete(check);
            resolve(output);
          }
        };
        listeners.add(check);
        check();
        void exited.then(() => reject(new Error(`exited before printing "${text}":\n${output}`)));
      }),
  };
}

/** Runs a command to its end: exit code and what it printed. */
export async function runToEnd(
  layout: ImageLayout,
  command: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const run = runInLayout(layout, command, env);
  const code = await run.exited;
  return { code, output: run.output() };
}

/** A port nobody listens on now (the image's 3000 may be taken on a shared machine). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}
