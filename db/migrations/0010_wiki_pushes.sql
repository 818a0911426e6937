CREATE TABLE `wiki_pushes` (
	`wiki_id` text NOT NULL,
	`commit` text NOT NULL,
	`pusher_did` text NOT NULL,
	`pushed_at` integer NOT NULL,
	PRIMARY KEY(`wiki_id`, `commit`),
	FOREIGN KEY (`wiki_id`) REFERENCES `wikis`(`id`) ON UPDATE no action ON DELETE cascade
);
