CREATE TABLE "gaming_alerts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gaming_alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"agent_id" text NOT NULL,
	"week" text NOT NULL,
	"kind" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"marked_by" text,
	"marked_at" timestamp with time zone,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gaming_signals" (
	"shop_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"conversations" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "gaming_signals_key" PRIMARY KEY("day","agent_id","kind","shop_id")
);
--> statement-breakpoint
ALTER TABLE "gaming_alerts" ADD CONSTRAINT "gaming_alerts_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gaming_signals" ADD CONSTRAINT "gaming_signals_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "gaming_alerts_once" ON "gaming_alerts" USING btree ("agent_id","week","kind");--> statement-breakpoint
CREATE INDEX "gaming_alerts_status" ON "gaming_alerts" USING btree ("status");