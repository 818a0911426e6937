CREATE TABLE `wiki_usage` (
	`wiki_id` text PRIMARY KEY NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`pages` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`wiki_id`) REFERENCES `wikis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Kept by triggers in the same statement as every change to pages and attachments. Deletions only
-- update (a wiki being deleted cascades its pages after its usage row may be gone: never re-insert it).
CREATE TRIGGER `wiki_usage_page_insert` AFTER INSERT ON `pages` BEGIN
  INSERT INTO `wiki_usage` (`wiki_id`, `bytes`, `pages`) VALUES (new.wiki_id, new.size, 1)
  ON CONFLICT (`wiki_id`) DO UPDATE SET `bytes` = `bytes` + excluded.bytes, `pages` = `pages` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `wiki_usage_page_update` AFTER UPDATE OF `size` ON `pages` WHEN old.size IS NOT new.size BEGIN
  UPDATE `wiki_usage` SET `bytes` = `bytes` + new.size - old.size WHERE `wiki_id` = new.wiki_id;
END;
--> statement-breakpoint
CREATE TRIGGER `wiki_usage_page_delete` AFTER DELETE ON `pages` BEGIN
  UPDATE `wiki_usage` SET `bytes` = `bytes` - old.size, `pages` = `pages` - 1 WHERE `wiki_id` = old.wiki_id;
END;
--> statement-breakpoint
CREATE TRIGGER `wiki_usage_attachment_insert` AFTER INSERT ON `attachments` BEGIN
  INSERT INTO `wiki_usage` (`wiki_id`, `bytes`, `pages`) VALUES (new.wiki_id, new.size, 0)
  ON CONFLICT (`wiki_id`) DO UPDATE SET `bytes` = `bytes` + excluded.bytes;
END;
--> statement-breakpoint
CREATE TRIGGER `wiki_usage_attachment_update` AFTER UPDATE OF `size` ON `attachments` WHEN old.size IS NOT new.size BEGIN
  UPDATE `wiki_usage` SET `bytes` = `bytes` + new.size - old.size WHERE `wiki_id` = new.wiki_id;
END;
--> statement-breakpoint
CREATE TRIGGER `wiki_usage_attachment_delete` AFTER DELETE ON `attachments` BEGIN
  UPDATE `wiki_usage` SET `bytes` = `bytes` - old.size WHERE `wiki_id` = old.wiki_id;
END;
--> statement-breakpoint
INSERT INTO `wiki_usage` (`wiki_id`, `bytes`, `pages`)
SELECT w.`id`,
  coalesce((SELECT sum(`size`) FROM `pages` WHERE `wiki_id` = w.`id`), 0) + coalesce((SELECT sum(`size`) FROM `attachments` WHERE `wiki_id` = w.`id`), 0),
  (SELECT count(*) FROM `pages` WHERE `wiki_id` = w.`id`)
FROM `wikis` w;
