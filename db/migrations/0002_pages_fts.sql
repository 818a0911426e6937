-- Full-text index of pages. rowid = pages.id (an INTEGER PRIMARY KEY, kept by upserts
-- and by VACUUM); `wiki` holds the wiki id so a search is confined to one wiki
-- inside the FTS query itself. Maintained by the wiki index writer.
CREATE VIRTUAL TABLE `pages_fts` USING fts5(`wiki`, `title`, `body`, tokenize = 'porter unicode61 remove_diacritics 2');
--> statement-breakpoint
-- A page row leaving (deleted, or cascaded from its wiki) takes its text with it.
CREATE TRIGGER `pages_fts_delete` AFTER DELETE ON `pages` BEGIN
  DELETE FROM `pages_fts` WHERE rowid = old.id;
END;
