CREATE TABLE "appeals" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "appeals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"agent_id" text NOT NULL,
	"subject" text NOT NULL,
	"metric" text NOT NULL,
	"period_kind" text,
	"period_key" text,
	"fact_id" integer,
	"fact_day" date,
	"reason" text NOT NULL,
	"before" double precision,
	"status" text NOT NULL,
	"raised_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"corrected_num" double precision,
	"corrected_den" double precision,
	"exclude" boolean DEFAULT false NOT NULL,
	"reminded_at" timestamp with time zone,
	"escalated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_fact_id_facts_id_fk" FOREIGN KEY ("fact_id") REFERENCES "public"."facts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appeals_one_open" ON "appeals" USING btree ("subject") WHERE "appeals"."status" = 'open';--> statement-breakpoint
CREATE INDEX "appeals_agent" ON "appeals" USING btree ("agent_id","status");--> statement-breakpoint
CREATE INDEX "appeals_open" ON "appeals" USING btree ("status","created_at");