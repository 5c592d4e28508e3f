-- The retention purge deletes webhook deliveries by age whatever their state (README "Events, change feed and
-- webhooks"): finished ones as before, and pending ones too, which an endpoint disabled for longer than the
-- retention otherwise keeps for ever (their events are gone; they can never be sent). The purge deletes in
-- chunks, oldest first, so it needs an index in created_at order over every state; the partial index of V14
-- (finished deliveries only) is no longer read.
CREATE INDEX webhook_deliveries_age ON webhook_deliveries (created_at);
DROP INDEX webhook_deliveries_finished;
