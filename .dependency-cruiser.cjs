/**
 * The layers of src/, as rules `npm test` checks (`npm run layers`): arrows run one way, from the
 * commands down to the engine. README's "Map" lists the same table (tests/layers.test.ts holds
 * them to each other). A broken rule prints both files and why the rule is there.
 *
 * LAYERS goes bottom up. Each entry is a folder (or a file at the top of src/) and the folders it
 * may import besides itself; everything it may import comes earlier in the list, so the table
 * cannot describe a cycle between folders.
 */
const LAYERS = [
  { layer: "engine", imports: [] },
  { layer: "roster.ts", imports: [] },
  { layer: "log.ts", imports: [] },
  { layer: "i18n", imports: ["engine"] },
  { layer: "schemes", imports: ["engine"] },
  { layer: "present", imports: ["engine", "i18n"] },
  { layer: "sources", imports: ["engine", "roster.ts"] },
  { layer: "store", imports: ["engine", "roster.ts", "sources"] },
  { layer: "server", imports: ["log.ts"] },
  { layer: "chat", imports: ["log.ts", "server"] },
  { layer: "scheduler", imports: ["engine", "store"] },
  { layer: "delivery", imports: ["chat", "log.ts", "store"] },
  { layer: "follow-ups", imports: ["chat", "i18n", "store"] },
  { layer: "digest", imports: ["chat", "delivery", "engine", "follow-ups", "i18n", "present", "store"] },
  { layer: "nudges", imports: ["chat", "delivery", "engine", "follow-ups", "i18n", "present", "store"] },
  { layer: "ratings", imports: ["chat", "delivery", "engine", "i18n", "store"] },
  { layer: "qa", imports: ["chat", "delivery", "engine", "i18n", "nudges", "present", "store"] },
  { layer: "gaming", imports: ["chat", "delivery", "engine", "i18n", "nudges", "present", "store"] },
  { layer: "config.ts", imports: ["chat", "digest", "engine", "nudges", "qa", "ratings"] },
  { layer: "bot", imports: "everything below" },
  { layer: "cli", imports: "everything below" },
];

/** Why each layer stops where it does; printed with a broken rule. */
const WHY = {
  engine: "the engine is pure: other programs import it without a database, a chat SDK or a file",
  "roster.ts": "who is who is plain data, shared by sources, store and the bot",
  "log.ts": "the log is the bottom of the I/O side",
  i18n: "the words of the engine's vocabulary (scorecards, metrics, schemes); features keep their own",
  sources: "sources and store know no chat platform",
  store: "sources and store know no chat platform; a digest's or a nudge's rules are not the store's",
  chat: "chat adapters import no use-case and no table: what they keep goes through ChatMemory",
  delivery: "delivery, digests and nudges import nothing from bot/",
  digest: "delivery, digests and nudges import nothing from bot/",
  nudges: "delivery, digests and nudges import nothing from bot/",
  ratings: "the rating requests are a job like the nudges: they import nothing from bot/",
  gaming: "gaming alerts go to supervisors through the nudges' telling; scoring never imports them (never into pay)",
  "follow-ups": "follow-up rules are used by commands, nudges and escalations alike",
  qa: "quality review is a feature like the nudges: it imports nothing from bot/",
  "config.ts": "the configuration composes the modules' own settings; modules do not read config.ts",
  bot: "the use-cases and the wiring of a running bot; nothing imports cli/",
  cli: "the `kpi` commands sit on top; nothing imports cli/",
};

const pathOf = (layer) => `^src/${layer.replace(/\./g, "\\.")}${layer.endsWith(".ts") ? "$" : "/"}`;

function layerRules() {
  return LAYERS.map(({ layer, imports }, index) => {
    const below = LAYERS.slice(0, index).map((l) => l.layer);
    const allowed = imports === "everything below" ? below : imports;
    for (const name of allowed)
      if (!below.includes(name)) throw new Error(`${layer} may import ${name}, which is not below it`);
    return {
      name: `${layer}-imports-${allowed.length === 0 ? "nothing-of-src" : "only-below"}`,
      comment: `${WHY[layer] ?? "arrows run one way"}. ${layer} may import: ${allowed.join(", ") || "nothing of src/"}.`,
      severity: "error",
      from: { path: pathOf(layer) },
      to: { path: "^src/", pathNot: [pathOf(layer), ...allowed.map(pathOf)] },
    };
  });
}

/** Each chat SDK is known to its own adapter only. */
const SDKS = [
  { sdk: "@slack/bolt", folder: "slack" },
  { sdk: "@larksuiteoapi/node-sdk", folder: "feishu" },
  { sdk: "dingtalk-stream", folder: "dingtalk" },
];

module.exports = {
  forbidden: [
    ...layerRules(),
    {
      name: "every-file-in-a-layer",
      comment: "A new folder or top-level file of src/ takes its place in LAYERS (and in README's map) first.",
      severity: "error",
      from: { path: "^src/", pathNot: LAYERS.map(({ layer }) => pathOf(layer)) },
      to: {},
    },
    {
      name: "engine-imports-no-io",
      comment:
        "The engine is pure: no node: module, no driver, no SDK; zod for its schemas is the one package it uses.",
      severity: "error",
      from: { path: "^src/engine/" },
      to: { pathNot: ["^src/engine/", "^node_modules/zod/"] },
    },
    ...SDKS.map(({ sdk, folder }) => ({
      name: `${folder}-sdk-only-in-chat-${folder}`,
      comment: `Each platform sits behind one adapter: ${sdk} is imported in src/chat/${folder}/ only.`,
      severity: "error",
      from: { pathNot: `^src/chat/${folder}/` },
      to: { path: `^node_modules/${sdk}/` },
    })),
    {
      name: "no-cycles",
      comment: "A cycle means neither module can be read, tested or moved without the other.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // TypeScript 7's compiler has no JavaScript API for dependency-cruiser to parse with; swc has.
    parser: "swc",
    // Type-only imports count: a type from the wrong layer ties the layers as much as a value does.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "^node_modules" },
  },
};

// For tests/layers.test.ts, which holds README's map to this table; not enumerable, because
// dependency-cruiser refuses a configuration with keys of its own.
Object.defineProperty(module.exports, "LAYERS", { value: LAYERS, enumerable: false });
