CREATE TABLE `city_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`city_circular_id` text NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`blob_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`city_circular_id`) REFERENCES `city_circulars`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `city_attachments_circular` ON `city_attachments` (`city_circular_id`);--> statement-breakpoint
CREATE TABLE `city_circulars` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`priority` text DEFAULT 'normal' NOT NULL,
	`target_scope` text DEFAULT 'city' NOT NULL,
	`target_ids` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`author_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`published_at` integer,
	`due_at` integer,
	`withdrawn_at` integer,
	FOREIGN KEY (`author_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `stats_active` (
	`level` text NOT NULL,
	`scope_id` text NOT NULL,
	`day` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`level`, `scope_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `stats_circular` (
	`circular_id` text PRIMARY KEY NOT NULL,
	`association_id` text NOT NULL,
	`city_circular_id` text,
	`targeted` integer DEFAULT 0 NOT NULL,
	`read` integer DEFAULT 0 NOT NULL,
	`read_24h` integer DEFAULT 0 NOT NULL,
	`read_72h` integer DEFAULT 0 NOT NULL,
	`due_targeted` integer DEFAULT 0 NOT NULL,
	`read_by_due` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stats_circular_city` ON `stats_circular` (`city_circular_id`);--> statement-breakpoint
CREATE TABLE `stats_households` (
	`level` text NOT NULL,
	`scope_id` text NOT NULL,
	`in_area` integer DEFAULT 0 NOT NULL,
	`members` integer DEFAULT 0 NOT NULL,
	`app` integer DEFAULT 0 NOT NULL,
	`paper` integer DEFAULT 0 NOT NULL,
	`push` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`level`, `scope_id`)
);
--> statement-breakpoint
CREATE TABLE `stats_week` (
	`level` text NOT NULL,
	`scope_id` text NOT NULL,
	`week` integer NOT NULL,
	`circulars` integer DEFAULT 0 NOT NULL,
	`targeted` integer DEFAULT 0 NOT NULL,
	`due_targeted` integer DEFAULT 0 NOT NULL,
	`read_by_due` integer DEFAULT 0 NOT NULL,
	`b0` integer DEFAULT 0 NOT NULL,
	`b1` integer DEFAULT 0 NOT NULL,
	`b2` integer DEFAULT 0 NOT NULL,
	`b3` integer DEFAULT 0 NOT NULL,
	`b4` integer DEFAULT 0 NOT NULL,
	`b5` integer DEFAULT 0 NOT NULL,
	`b6` integer DEFAULT 0 NOT NULL,
	`b7` integer DEFAULT 0 NOT NULL,
	`b8` integer DEFAULT 0 NOT NULL,
	`b9` integer DEFAULT 0 NOT NULL,
	`b10` integer DEFAULT 0 NOT NULL,
	`b11` integer DEFAULT 0 NOT NULL,
	`b12` integer DEFAULT 0 NOT NULL,
	`b13` integer DEFAULT 0 NOT NULL,
	`b14` integer DEFAULT 0 NOT NULL,
	`b15` integer DEFAULT 0 NOT NULL,
	`b16` integer DEFAULT 0 NOT NULL,
	`b17` integer DEFAULT 0 NOT NULL,
	`b18` integer DEFAULT 0 NOT NULL,
	`b19` integer DEFAULT 0 NOT NULL,
	`b20` integer DEFAULT 0 NOT NULL,
	`b21` integer DEFAULT 0 NOT NULL,
	`b22` integer DEFAULT 0 NOT NULL,
	`b23` integer DEFAULT 0 NOT NULL,
	`b24` integer DEFAULT 0 NOT NULL,
	`b25` integer DEFAULT 0 NOT NULL,
	`b26` integer DEFAULT 0 NOT NULL,
	`b27` integer DEFAULT 0 NOT NULL,
	`b28` integer DEFAULT 0 NOT NULL,
	`b29` integer DEFAULT 0 NOT NULL,
	`b30` integer DEFAULT 0 NOT NULL,
	`b31` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`level`, `scope_id`, `week`)
);
--> statement-breakpoint
ALTER TABLE `circulars` ADD `origin` text DEFAULT 'association' NOT NULL;--> statement-breakpoint
ALTER TABLE `circulars` ADD `city_circular_id` text;--> statement-breakpoint
ALTER TABLE `circulars` ADD `leader_note` text;--> statement-breakpoint
CREATE INDEX `circulars_city` ON `circulars` (`city_circular_id`);--> statement-breakpoint
ALTER TABLE `households` ADD `last_read_at` integer;--> statement-breakpoint
ALTER TABLE `households` ADD `push_devices` integer DEFAULT 0 NOT NULL;