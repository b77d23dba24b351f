CREATE TABLE `block_rotations` (
	`block_id` text PRIMARY KEY NOT NULL,
	`association_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`current_household_id` text,
	`awaiting` integer DEFAULT false NOT NULL,
	`leader_member_id` text,
	`guide_seen_at` integer,
	`rotated_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`block_id`) REFERENCES `blocks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rotation_order` (
	`household_id` text PRIMARY KEY NOT NULL,
	`association_id` text NOT NULL,
	`block_id` text NOT NULL,
	`position` integer NOT NULL,
	`exempt` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rotation_order_block` ON `rotation_order` (`block_id`,`position`);