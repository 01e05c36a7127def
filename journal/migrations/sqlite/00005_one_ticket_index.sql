-- Indexes no query reads, each one more to update for every event appended (and one more
-- page of the write-ahead log per event):
-- events_ticket (ticket, id) is the first two columns of events_clock, added by migration
-- 00003, which serves every query that used it;
-- events_at (at): every query that bounds the time also names what events_report,
-- events_clock or events_failure lead with (the kind, the ticket, the failure).
-- +goose Up
DROP INDEX events_ticket;
DROP INDEX events_at;

-- +goose Down
CREATE INDEX events_at ON events (at);
CREATE INDEX events_ticket ON events (ticket, id);
