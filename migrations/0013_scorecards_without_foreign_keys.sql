ALTER TABLE "scorecards" DROP CONSTRAINT "scorecards_agent_id_agents_id_fk";
--> statement-breakpoint
ALTER TABLE "scorecards" DROP CONSTRAINT "scorecards_scheme_version_id_scheme_versions_id_fk";
