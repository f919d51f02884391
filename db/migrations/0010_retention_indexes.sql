-- Retention prunes webhook attempts by age and finished deliveries by creation time, a batch at a time. Both
-- columns grow with insertion order, so BRIN indexes (a few pages, nearly free to maintain) find old rows
-- without a scan of the whole table.
CREATE INDEX webhook_attempts_attempted_brin ON webhook_attempts USING brin (attempted_at);
CREATE INDEX webhook_deliveries_created_brin ON webhook_deliveries USING brin (created_at);
