CREATE TABLE "owed_scoring" (
	"period_key" text PRIMARY KEY NOT NULL,
	"period_kind" text NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"owed_since" timestamp with time zone NOT NULL,
	"reason" text NOT NULL
);
