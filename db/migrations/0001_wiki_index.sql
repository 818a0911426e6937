CREATE TABLE `attachments` (
	`wiki_id` text NOT NULL,
	`page` text NOT NULL,
	`name` text NOT NULL,
	`file_path` text NOT NULL,
	`size` integer NOT NULL,
	`blob_oid` text NOT NULL,
	`updated_commit` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`wiki_id`, `page`, `name`),
	FOREIGN KEY (`wiki_id`) REFERENCES `wikis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `cas_guard` (
	`ok` integer NOT NULL,
	CONSTRAINT "cas_guard_ok" CHECK("cas_guard"."ok" = 1)
);
--> statement-breakpoint
CREATE TABLE `page_links` (
	`wiki_id` text NOT NULL,
	`src` text NOT NULL,
	`dst` text NOT NULL,
	PRIMARY KEY(`wiki_id`, `src`, `dst`),
	FOREIGN KEY (`wiki_id`) REFERENCES `wikis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `page_links_dst_idx` ON `page_links` (`wiki_id`,`dst`);--> statement-breakpoint
CREATE TABLE `page_revisions` (
	`wiki_id` text NOT NULL,
	`path` text NOT NULL,
	`commit` text NOT NULL,
	`seq` integer NOT NULL,
	`blob_oid` text,
	`change` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`wiki_id`, `path`, `commit`),
	FOREIGN KEY (`wiki_id`) REFERENCES `wikis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `page_revisions_history_idx` ON `page_revisions` (`wiki_id`,`path`,`seq`);--> statement-breakpoint
CREATE TABLE `pages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`wiki_id` text NOT NULL,
	`path` text NOT NULL,
	`file_path` text NOT NULL,
	`title` text NOT NULL,
	`frontmatter` text,
	`category` text,
	`tags` text DEFAULT '' NOT NULL,
	`size` integer NOT NULL,
	`blob_oid` text NOT NULL,
	`updated_commit` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`wiki_id`) REFERENCES `wikis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pages_path_idx` ON `pages` (`wiki_id`,`path`);--> statement-breakpoint
CREATE INDEX `pages_updated_idx` ON `pages` (`wiki_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `pages_category_idx` ON `pages` (`wiki_id`,`category`);--> statement-breakpoint
CREATE TABLE `wiki_commits` (
	`wiki_id` text NOT NULL,
	`oid` text NOT NULL,
	`seq` integer NOT NULL,
	`parent` text,
	`author_name` text NOT NULL,
	`author_email` text NOT NULL,
	`at` integer NOT NULL,
	`message` text NOT NULL,
	PRIMARY KEY(`wiki_id`, `oid`),
	FOREIGN KEY (`wiki_id`) REFERENCES `wikis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wiki_commits_seq_idx` ON `wiki_commits` (`wiki_id`,`seq`);--> statement-breakpoint
CREATE TABLE `wiki_repos` (
	`wiki_id` text PRIMARY KEY NOT NULL,
	`head_commit` text,
	`indexed_commit` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`wiki_id`) REFERENCES `wikis`(`id`) ON UPDATE no action ON DELETE cascade
);
