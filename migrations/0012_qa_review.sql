CREATE TABLE "qa_conversations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "qa_conversations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"shop_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"day" date NOT NULL,
	"session" text NOT NULL,
	"customer" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"first_wait_seconds" integer,
	"longest_wait_seconds" integer,
	"rating" integer,
	"transferred" boolean NOT NULL,
	"phrase_hits" jsonb NOT NULL,
	"bad_review" boolean NOT NULL,
	"strata" jsonb NOT NULL,
	"transcript" text NOT NULL,
	"sample_key" text NOT NULL,
	"import_run_id" integer
);
--> statement-breakpoint
CREATE TABLE "qa_ratings" (
	"conversation_id" integer PRIMARY KEY NOT NULL,
	"reviewer_id" text NOT NULL,
	"results" jsonb NOT NULL,
	"score" double precision,
	"note" text,
	"rated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "qa_reviews" (
	"conversation_id" integer PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"reviewer_id" text NOT NULL,
	"week" text NOT NULL,
	"stratum" text NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "qa_conversations" ADD CONSTRAINT "qa_conversations_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_ratings" ADD CONSTRAINT "qa_ratings_conversation_id_qa_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."qa_conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_reviews" ADD CONSTRAINT "qa_reviews_conversation_id_qa_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."qa_conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "qa_conversations_session" ON "qa_conversations" USING btree ("shop_id","session");--> statement-breakpoint
CREATE INDEX "qa_conversations_agent_day" ON "qa_conversations" USING btree ("agent_id","day");--> statement-breakpoint
CREATE INDEX "qa_reviews_reviewer" ON "qa_reviews" USING btree ("reviewer_id","week");--> statement-breakpoint
CREATE INDEX "qa_reviews_agent" ON "qa_reviews" USING btree ("agent_id");