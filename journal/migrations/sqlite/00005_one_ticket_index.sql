-- A ticket's events are read in order through events_clock (ticket, id, ...), which
-- migration 00003 added: events_ticket (ticket, id) is its first two columns, read by no
-- query the other does not serve, and one more index for every event appended to update.
-- +goose Up
DROP INDEX events_ticket;

-- +goose Down
CREATE INDEX events_ticket ON events (ticket, id);
