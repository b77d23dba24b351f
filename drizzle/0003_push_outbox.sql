CREATE TABLE `push_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`association_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`household_id` text,
	`circular_id` text,
	`kind` text NOT NULL,
	`urgent` integer DEFAULT false NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_status` integer,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `push_outbox_due` ON `push_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `push_outbox_circular` ON `push_outbox` (`circular_id`,`status`);