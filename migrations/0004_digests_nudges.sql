CREATE TABLE "chat_dm_channels" (
	"platform" text NOT NULL,
	"user_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	CONSTRAINT "chat_dm_channels_platform_user_id_pk" PRIMARY KEY("platform","user_id")
);
--> statement-breakpoint
CREATE TABLE "digest_snapshots" (
	"team_id" text NOT NULL,
	"period_kind" text NOT NULL,
	"period_key" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"cards" jsonb NOT NULL,
	CONSTRAINT "digest_snapshots_team_id_period_kind_period_key_pk" PRIMARY KEY("team_id","period_kind","period_key")
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"subject" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"kind" text NOT NULL,
	"outbox_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "shift" jsonb;--> statement-breakpoint
CREATE INDEX "digest_snapshots_published" ON "digest_snapshots" USING btree ("team_id","published_at");--> statement-breakpoint
CREATE INDEX "notices_agent" ON "notices" USING btree ("agent_id","created_at");