-- Chunks' words behind their wiki's prefix, as pages' are since 0012 (workers/wiki/semantic/chunk-words.ts):
-- the index writer puts them, so the triggers that copied the bare text go. The rows are emptied here
-- and written again from `semantic_chunks` at the next start (index version 3, bin/lib/upgrade-indexes.ts).
DROP TRIGGER `semantic_chunks_fts_insert`;
--> statement-breakpoint
DROP TRIGGER `semantic_chunks_fts_update`;
--> statement-breakpoint
INSERT INTO `semantic_chunks_fts` (`semantic_chunks_fts`) VALUES ('delete-all');
