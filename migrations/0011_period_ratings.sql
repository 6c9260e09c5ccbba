CREATE TABLE "period_ratings" (
	"agent_id" text NOT NULL,
	"metric" text NOT NULL,
	"period_kind" text NOT NULL,
	"period_key" text NOT NULL,
	"level" text NOT NULL,
	"score" double precision NOT NULL,
	"rated_by" text NOT NULL,
	"rated_at" timestamp with time zone NOT NULL,
	"note" text,
	CONSTRAINT "period_ratings_agent_id_metric_period_key_pk" PRIMARY KEY("agent_id","metric","period_key")
);
--> statement-breakpoint
CREATE INDEX "period_ratings_period" ON "period_ratings" USING btree ("period_key");