-- Kafka publication of the outbox (README "Events, change feed and webhooks", Kafka): one row per topic
-- holding the position up to which the broker has acknowledged every event, in the feed's (txid, id)
-- order (see V10 for why that order never passes an event that commits late). One replica at a time
-- publishes: the one holding the lease (lease_owner until lease_until), claimed with
-- FOR UPDATE SKIP LOCKED and renewed with every acknowledged batch. A replica that dies stops renewing;
-- after the lease another one takes over from the last acknowledged position, so events sent but not
-- yet recorded here are sent again (at least once), never skipped.
CREATE TABLE kafka_publication (
    topic       varchar(249) PRIMARY KEY,
    txid        xid8         NOT NULL DEFAULT '0',
    event_id    bigint       NOT NULL DEFAULT 0,
    lease_owner varchar(64),
    lease_until timestamptz,
    updated_at  timestamptz  NOT NULL DEFAULT now()
);

-- The publisher reads every workspace's events after its position; the feed's index leads with the
-- workspace.
CREATE INDEX events_position ON events (txid, id);
