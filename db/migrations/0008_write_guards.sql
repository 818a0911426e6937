CREATE TABLE `page_guard` (
	`ok` integer NOT NULL,
	CONSTRAINT "page_guard_ok" CHECK("page_guard"."ok" = 1)
);
--> statement-breakpoint
CREATE TABLE `rate_guard` (
	`ok` integer NOT NULL,
	CONSTRAINT "rate_guard_ok" CHECK("rate_guard"."ok" = 1)
);
