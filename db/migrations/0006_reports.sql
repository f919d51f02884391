-- Reports: the fee agreed with the agency for a task (optional), and the indexes the report queries read by.
ALTER TABLE tasks
    ADD COLUMN fee_minor bigint CHECK (fee_minor >= 0),
    ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$'),
    ADD CONSTRAINT tasks_fee_has_currency CHECK ((fee_minor IS NULL) = (currency IS NULL));

-- Task-scoped history (accept, decline, reassign, deliveries, reviews) read per task.
CREATE INDEX transitions_task ON transitions (task_id, sequence) WHERE task_id IS NOT NULL;
-- Periods are chosen by when things happened.
CREATE INDEX transitions_project_action ON transitions (project_id, action, occurred_at);
