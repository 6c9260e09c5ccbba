import { defineConfig } from "drizzle-kit";

/** `npx drizzle-kit generate` writes a migration into migrations/ from src/store/schema.ts. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/store/schema.ts",
  out: "./migrations",
});
