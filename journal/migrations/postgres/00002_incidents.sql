-- Incidents: the same failure (environment, route, error class) reported by several partners
-- within the rules' window becomes one incident; its cases and tickets point to it.
-- error_class is derived by the caller from the verdict: the category, plus the HTTP status
-- class of the partner's response when one was given ("no-apparent-cause/5xx").
-- +goose Up
CREATE TABLE incidents (
    id          TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    environment TEXT NOT NULL,
    route       TEXT NOT NULL,
    error_class TEXT NOT NULL,
    opened_at   BIGINT NOT NULL,
    closed_at   BIGINT NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incidents_failure ON incidents (environment, route, error_class, status);
ALTER TABLE events ADD COLUMN error_class TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN incident TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN incident TEXT NOT NULL DEFAULT '';
CREATE INDEX events_failure ON events (environment, route, error_class, at);
CREATE INDEX events_incident ON events (incident);

-- +goose Down
DROP INDEX events_incident;
DROP INDEX events_failure;
ALTER TABLE tickets DROP COLUMN incident;
ALTER TABLE events DROP COLUMN incident;
ALTER TABLE events DROP COLUMN error_class;
DROP TABLE incidents;
