/**
 * The version of the rules that turn a wiki's git tree into its index. Raise
 * it when a change makes an existing index wrong (files it should have read,
 * rows it should hold), and say here what changed: the stack rebuilds every
 * wiki whose index is older when it starts (bin/lib/upgrade-indexes.ts).
 *
 * 1. Indexes from before versions.
 * 2. A page is every `.md` file whose path normalises to its key (spaces and
 *    underscores mixed, decomposed Unicode, padded names), and attachments in
 *    twin folders are found.
 * 3. Full text holds each wiki's words behind its own prefix (migrations
 *    0012 and 0013, workers/wiki/search/wiki-words.ts), pages' and semantic
 *    chunks' alike; page bodies live in `page_texts`.
 */
export const INDEX_VERSION = 3;
