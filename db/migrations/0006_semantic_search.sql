CREATE TABLE `semantic_chunks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`wiki_id` text NOT NULL,
	`page` text NOT NULL,
	`revision` text NOT NULL,
	`chunk_index` integer NOT NULL,
	`chunk_count` integer NOT NULL,
	`section` text NOT NULL,
	`prefix` text NOT NULL,
	`text` text NOT NULL,
	FOREIGN KEY (`wiki_id`) REFERENCES `wikis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `semantic_chunks_page_idx` ON `semantic_chunks` (`wiki_id`,`page`);--> statement-breakpoint
CREATE TABLE `semantic_indexes` (
	`wiki_id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`dimensions` integer NOT NULL,
	`vector_table` text NOT NULL,
	`created_at` integer NOT NULL,
	`reindex_started_at` integer,
	`reindex_total` integer DEFAULT 0 NOT NULL,
	`reindex_finished_at` integer,
	FOREIGN KEY (`wiki_id`) REFERENCES `wikis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `semantic_queue` (
	`wiki_id` text NOT NULL,
	`path` text NOT NULL,
	`gen` integer DEFAULT 1 NOT NULL,
	`force` integer DEFAULT false NOT NULL,
	`enqueued_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`not_before` integer DEFAULT 0 NOT NULL,
	`lease_until` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	PRIMARY KEY(`wiki_id`, `path`)
);
--> statement-breakpoint
CREATE INDEX `semantic_queue_order_idx` ON `semantic_queue` (`enqueued_at`);--> statement-breakpoint
-- Keyword side of the hybrid search: the chunks' text, external content (stored once, in
-- semantic_chunks), rowid = semantic_chunks.id, kept by the triggers below; `wiki_id` confines a
-- query to one wiki inside the MATCH expression, as pages_fts does.
CREATE VIRTUAL TABLE `semantic_chunks_fts` USING fts5(`wiki_id`, `section`, `text`, content = 'semantic_chunks', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `semantic_chunks_fts_insert` AFTER INSERT ON `semantic_chunks` BEGIN
  INSERT INTO `semantic_chunks_fts` (rowid, `wiki_id`, `section`, `text`) VALUES (new.id, new.wiki_id, new.section, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `semantic_chunks_fts_delete` AFTER DELETE ON `semantic_chunks` BEGIN
  INSERT INTO `semantic_chunks_fts` (`semantic_chunks_fts`, rowid, `wiki_id`, `section`, `text`) VALUES ('delete', old.id, old.wiki_id, old.section, old.text);
END;
--> statement-breakpoint
CREATE TRIGGER `semantic_chunks_fts_update` AFTER UPDATE OF `wiki_id`, `section`, `text` ON `semantic_chunks` BEGIN
  INSERT INTO `semantic_chunks_fts` (`semantic_chunks_fts`, rowid, `wiki_id`, `section`, `text`) VALUES ('delete', old.id, old.wiki_id, old.section, old.text);
  INSERT INTO `semantic_chunks_fts` (rowid, `wiki_id`, `section`, `text`) VALUES (new.id, new.wiki_id, new.section, new.text);
END;
--> statement-breakpoint
-- Freshness: whatever changes a page's row in the index (a page written, renamed, deleted or
-- reverted through the wiki, a git push, the reconciler, a rebuild) enqueues the page in the same
-- statement, so in the same atomic batch as the index update. A repeated enqueue bumps `gen` (the
-- drainer keeps its work only if `gen` did not move), keeps the first enqueue time, and makes the
-- row due at once. A wiki being deleted enqueues nothing (its row is gone before the cascade).
CREATE TRIGGER `semantic_enqueue_insert` AFTER INSERT ON `pages` BEGIN
  INSERT INTO `semantic_queue` (`wiki_id`, `path`, `enqueued_at`) VALUES (new.wiki_id, new.path, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`wiki_id`, `path`) DO UPDATE SET `gen` = `gen` + 1, `enqueued_at` = min(`enqueued_at`, excluded.enqueued_at), `attempts` = 0, `not_before` = 0, `lease_until` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `semantic_enqueue_update` AFTER UPDATE ON `pages`
WHEN old.blob_oid IS NOT new.blob_oid OR old.title IS NOT new.title OR old.frontmatter IS NOT new.frontmatter OR old.updated_commit IS NOT new.updated_commit OR old.path IS NOT new.path BEGIN
  INSERT INTO `semantic_queue` (`wiki_id`, `path`, `enqueued_at`) VALUES (new.wiki_id, new.path, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`wiki_id`, `path`) DO UPDATE SET `gen` = `gen` + 1, `enqueued_at` = min(`enqueued_at`, excluded.enqueued_at), `attempts` = 0, `not_before` = 0, `lease_until` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `semantic_enqueue_delete` AFTER DELETE ON `pages` WHEN EXISTS (SELECT 1 FROM `wikis` WHERE `id` = old.wiki_id) BEGIN
  INSERT INTO `semantic_queue` (`wiki_id`, `path`, `enqueued_at`) VALUES (old.wiki_id, old.path, CAST(unixepoch('subsec') * 1000 AS INTEGER))
  ON CONFLICT (`wiki_id`, `path`) DO UPDATE SET `gen` = `gen` + 1, `enqueued_at` = min(`enqueued_at`, excluded.enqueued_at), `attempts` = 0, `not_before` = 0, `lease_until` = 0;
END;
