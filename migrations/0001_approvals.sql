CREATE TABLE `approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`task_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`status` text NOT NULL,
	`input_hash` text NOT NULL,
	`request` text NOT NULL,
	`created_at` integer NOT NULL,
	`deadline_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` text,
	`decided_ip` text,
	`decided_user_agent` text,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `approvals_owner_status_idx` ON `approvals` (`owner_id`,`status`);--> statement-breakpoint
CREATE INDEX `approvals_task_idx` ON `approvals` (`task_id`);--> statement-breakpoint
CREATE INDEX `approvals_status_deadline_idx` ON `approvals` (`status`,`deadline_at`);--> statement-breakpoint
ALTER TABLE `tasks` ADD `auto_allow_until` integer;