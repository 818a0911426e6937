-- Full text with each word prefixed by its wiki's letters (workers/wiki/search/wiki-words.ts):
-- bm25 counts a query word's rows over the whole table, so unprefixed words made every ranked
-- search read every wiki's rows. The table now holds only the index (contentless, with row
-- deletes); the page text semantic search reads moves to `page_texts`. Index version 3 rebuilds
-- every wiki's rows from git at the next start (bin/lib/upgrade-indexes.ts).
CREATE TABLE `page_texts` (
	`id` integer PRIMARY KEY NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `page_texts` (`id`, `body`) SELECT rowid, `body` FROM `pages_fts`;
--> statement-breakpoint
DROP TRIGGER `pages_fts_delete`;
--> statement-breakpoint
DROP TABLE `pages_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `pages_fts` USING fts5(`wiki`, `title`, `body`, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');
--> statement-breakpoint
-- A page row leaving (deleted, or cascaded from its wiki) takes its text with it.
CREATE TRIGGER `pages_fts_delete` AFTER DELETE ON `pages` BEGIN
  DELETE FROM `pages_fts` WHERE rowid = old.id;
  DELETE FROM `page_texts` WHERE id = old.id;
END;
