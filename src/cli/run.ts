import { main } from "./main.ts";

// `npm run kpi -- …`: the CLI straight from the TypeScript sources.
process.exitCode = await main(process.argv.slice(2));
