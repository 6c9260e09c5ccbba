ALTER TABLE "agent_days" DROP CONSTRAINT "agent_days_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "agent_days" DROP CONSTRAINT "agent_days_import_run_id_import_runs_id_fk";
--> statement-breakpoint
DROP INDEX "agent_days_day";--> statement-breakpoint
ALTER TABLE "agent_days" DROP CONSTRAINT "agent_days_shop_id_agent_id_day_source_pk";--> statement-breakpoint
ALTER TABLE "agent_days" ALTER COLUMN "values" SET DATA TYPE text USING "values"::text;--> statement-breakpoint
ALTER TABLE "agent_days" ADD CONSTRAINT "agent_days_key" PRIMARY KEY("day","shop_id","agent_id","source");