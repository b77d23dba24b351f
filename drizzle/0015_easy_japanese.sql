ALTER TABLE `circulars` ADD `easy_body` text;--> statement-breakpoint
ALTER TABLE `city_circulars` ADD `easy_body` text;