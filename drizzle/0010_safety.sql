CREATE TABLE `safety_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`circular_id` text NOT NULL,
	`association_id` text NOT NULL,
	`household_id` text NOT NULL,
	`block_id` text NOT NULL,
	`state` text NOT NULL,
	`value` text DEFAULT '{}' NOT NULL,
	`channel` text NOT NULL,
	`recorded_by` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `safety_events_circular` ON `safety_events` (`circular_id`,`household_id`,`at`);--> statement-breakpoint
CREATE TABLE `support_needs` (
	`household_id` text PRIMARY KEY NOT NULL,
	`association_id` text NOT NULL,
	`needs` text DEFAULT '[]' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`consent` text NOT NULL,
	`consented_at` integer NOT NULL,
	`recorded_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `support_supporters` (
	`household_id` text NOT NULL,
	`member_id` text NOT NULL,
	`association_id` text NOT NULL,
	PRIMARY KEY(`household_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `support_supporters_member` ON `support_supporters` (`member_id`);--> statement-breakpoint
CREATE TABLE `watch_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`household_id` text NOT NULL,
	`association_id` text NOT NULL,
	`checked_by` text NOT NULL,
	`channel` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `watch_checks_household` ON `watch_checks` (`household_id`,`at`);--> statement-breakpoint
CREATE TABLE `watches` (
	`household_id` text PRIMARY KEY NOT NULL,
	`association_id` text NOT NULL,
	`watcher_id` text,
	`days` integer DEFAULT 7 NOT NULL,
	`requested_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`alerted_at` integer,
	`checked_at` integer,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `watches_association` ON `watches` (`association_id`);--> statement-breakpoint
ALTER TABLE `circulars` ADD `kind` text DEFAULT 'notice' NOT NULL;--> statement-breakpoint
ALTER TABLE `circulars` ADD `drill` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `circulars` ADD `closed_at` integer;--> statement-breakpoint
CREATE INDEX `circulars_association_kind` ON `circulars` (`association_id`,`kind`,`closed_at`);--> statement-breakpoint
ALTER TABLE `city_circulars` ADD `kind` text DEFAULT 'notice' NOT NULL;--> statement-breakpoint
ALTER TABLE `city_circulars` ADD `drill` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `city_circulars` ADD `closed_at` integer;