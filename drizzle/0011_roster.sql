ALTER TABLE `associations` ADD `roster_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `households` ADD `note` text;