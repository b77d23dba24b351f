CREATE TABLE `answer_batch` (
	`circular_id` text NOT NULL,
	`household_id` text NOT NULL,
	`association_id` text NOT NULL,
	`block_id` text NOT NULL,
	`value` text NOT NULL,
	`items` text NOT NULL,
	`channel` text NOT NULL,
	`answered_by` text NOT NULL,
	`answered_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `answer_tallies` (
	`circular_id` text NOT NULL,
	`block_id` text NOT NULL,
	`question_id` text NOT NULL,
	`choice` text NOT NULL,
	`households` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`circular_id`, `block_id`, `question_id`, `choice`)
);
--> statement-breakpoint
CREATE TABLE `answers` (
	`circular_id` text NOT NULL,
	`household_id` text NOT NULL,
	`association_id` text NOT NULL,
	`block_id` text NOT NULL,
	`value` text NOT NULL,
	`items` text NOT NULL,
	`channel` text NOT NULL,
	`answered_by` text NOT NULL,
	`answered_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`circular_id`, `household_id`),
	FOREIGN KEY (`circular_id`) REFERENCES `circulars`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `circulars` ADD `questions` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `circulars` ADD `anonymous` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `city_circulars` ADD `questions` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `city_circulars` ADD `anonymous` integer DEFAULT false NOT NULL;