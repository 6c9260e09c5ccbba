CREATE SEQUENCE "public"."owed_scoring_generation" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
-- Past the generations rows already hold, so none is handed out twice for a period (added by hand).
SELECT setval('owed_scoring_generation', coalesce((SELECT max("generation") FROM "owed_scoring"), 0) + 1, false);--> statement-breakpoint
ALTER TABLE "owed_scoring" ALTER COLUMN "generation" SET DEFAULT nextval('owed_scoring_generation');--> statement-breakpoint
ALTER TABLE "scorecards" ALTER COLUMN "card" SET DATA TYPE text;
