-- Imports run as background jobs: the upload records the run as 'queued', a worker validates and applies it
-- ('validating', 'applying') and leaves it 'done' (with its counts and report) or 'failed' (with the reason).
-- Progress (rows_done of rows_total in the current phase) is written every few thousand rows. `runner` names the
-- instance that holds the upload (host:port) and `heartbeat_at` when it last reported, so that a restarting
-- instance fails only its own unfinished runs (and runs nobody has reported on for an hour). Runs recorded
-- before this migration were synchronous and are complete.

ALTER TABLE imports ADD COLUMN phase TEXT NOT NULL DEFAULT 'done';
ALTER TABLE imports ADD COLUMN rows_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN rows_total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN directory_id BIGINT;
ALTER TABLE imports ADD COLUMN started_at BIGINT;
ALTER TABLE imports ADD COLUMN finished_at BIGINT;
ALTER TABLE imports ADD COLUMN runner TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN heartbeat_at BIGINT;
UPDATE imports SET rows_done = total_rows, rows_total = total_rows, finished_at = at;
CREATE INDEX imports_phase ON imports (phase);
