ALTER TABLE `circulars` ADD `furigana` text;--> statement-breakpoint
ALTER TABLE `circulars` ADD `furigana_fixes` text;--> statement-breakpoint
ALTER TABLE `city_circulars` ADD `furigana` text;--> statement-breakpoint
ALTER TABLE `city_circulars` ADD `furigana_fixes` text;