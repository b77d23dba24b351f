CREATE TABLE `read_batch` (
	`circular_id` text NOT NULL,
	`household_id` text NOT NULL,
	`association_id` text NOT NULL,
	`read_at` integer NOT NULL,
	`read_by` text,
	`delay` integer NOT NULL,
	`bucket` integer NOT NULL,
	`week` integer NOT NULL,
	`by_due` integer NOT NULL,
	`counted` integer NOT NULL
);
