-- The outbox gets an integer key and loses the per-row payload (built at sending time). Rows written before
-- (text keys) cannot move to an integer key; none were ever sent, as no sender existed, so they are dropped.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_push_outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`association_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`household_id` text,
	`circular_id` text NOT NULL,
	`kind` text NOT NULL,
	`urgent` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_status` integer,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
DROP TABLE `push_outbox`;--> statement-breakpoint
ALTER TABLE `__new_push_outbox` RENAME TO `push_outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `push_outbox_due` ON `push_outbox` (`status`,`urgent`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `push_outbox_circular` ON `push_outbox` (`circular_id`,`status`);--> statement-breakpoint
ALTER TABLE `circulars` ADD `last_reminded_at` integer;--> statement-breakpoint
ALTER TABLE `circulars` ADD `auto_reminded_at` integer;