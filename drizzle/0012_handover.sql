CREATE TABLE `handovers` (
	`id` text PRIMARY KEY NOT NULL,
	`association_id` text NOT NULL,
	`invite_id` text NOT NULL,
	`role` text NOT NULL,
	`block_id` text,
	`outgoing_member_id` text,
	`successor_member_id` text,
	`term_start` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	`cancelled_at` integer,
	`read_only_until` integer,
	FOREIGN KEY (`association_id`) REFERENCES `associations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`block_id`) REFERENCES `blocks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`outgoing_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `handovers_invite_id_unique` ON `handovers` (`invite_id`);--> statement-breakpoint
CREATE INDEX `handovers_association_status` ON `handovers` (`association_id`,`status`);--> statement-breakpoint
ALTER TABLE `associations` ADD `term_start` text DEFAULT '04-01' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `read_only_until` integer;