CREATE TABLE "follow_ups" (
	"fact_id" integer PRIMARY KEY NOT NULL,
	"outcome" text NOT NULL,
	"note" text,
	"done_by" text NOT NULL,
	"done_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_deliveries" (
	"platform" text NOT NULL,
	"delivery_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "inbound_deliveries_platform_delivery_id_pk" PRIMARY KEY("platform","delivery_id")
);
--> statement-breakpoint
CREATE TABLE "link_requests" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "link_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"platform" text NOT NULL,
	"user_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"status" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "chat_identities" ADD COLUMN "origin" text DEFAULT 'roster' NOT NULL;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_fact_id_facts_id_fk" FOREIGN KEY ("fact_id") REFERENCES "public"."facts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_requests" ADD CONSTRAINT "link_requests_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_deliveries_received" ON "inbound_deliveries" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "link_requests_one_pending" ON "link_requests" USING btree ("platform","user_id") WHERE "link_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "agent_days_agent" ON "agent_days" USING btree ("agent_id","day");