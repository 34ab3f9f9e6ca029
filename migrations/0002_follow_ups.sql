CREATE TABLE `follow_ups` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`task_id` text NOT NULL,
	`status` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `follow_ups_task_idx` ON `follow_ups` (`task_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `follow_ups_owner_status_idx` ON `follow_ups` (`owner_id`,`status`);--> statement-breakpoint
ALTER TABLE `tasks` ADD `open_until` integer;