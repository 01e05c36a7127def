-- The incident rule counts, for every diagnosis it is given, the distinct partners of one
-- failure within the rules' window, and, for a case it links, the partners and cases of the
-- incident. The indexes it used held only the failure and the time, or the incident, so each
-- event counted was read from its row for its kind, incident and partner; in SQLite those
-- columns come after the stored case and verdict, and reading them walked each row's overflow
-- pages: a batch of one failure journaled in seconds grew by milliseconds a case. These
-- indexes hold all the counts read.
-- +goose Up
DROP INDEX events_failure;
CREATE INDEX events_failure ON events (environment, route, error_class, at, kind, incident, partner);
DROP INDEX events_incident;
CREATE INDEX events_incident ON events (incident, partner);

-- +goose Down
DROP INDEX events_incident;
CREATE INDEX events_incident ON events (incident);
DROP INDEX events_failure;
CREATE INDEX events_failure ON events (environment, route, error_class, at);
