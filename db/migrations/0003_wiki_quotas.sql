CREATE TABLE `quota_guard` (
	`ok` integer NOT NULL,
	CONSTRAINT "quota_guard_ok" CHECK("quota_guard"."ok" = 1)
);
--> statement-breakpoint
ALTER TABLE `wikis` ADD `max_bytes` integer;--> statement-breakpoint
ALTER TABLE `wikis` ADD `max_pages` integer;