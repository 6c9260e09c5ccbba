ALTER TABLE "agent_days" DROP CONSTRAINT "agent_days_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "agent_days" DROP CONSTRAINT "agent_days_import_run_id_import_runs_id_fk";
--> statement-breakpoint
ALTER TABLE "agent_days" ALTER COLUMN "values" SET DATA TYPE text USING "values"::text;