-- The journal: one row per ticket (its current state) and the events that moved it.
-- Times are Unix microseconds (UTC), the same in both engines.
-- +goose Up
CREATE TABLE tickets (
    id             TEXT PRIMARY KEY,
    status         TEXT NOT NULL,
    partner        TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    final_category TEXT NOT NULL DEFAULT '',
    solution       TEXT NOT NULL DEFAULT '',
    follow_up_of   TEXT NOT NULL DEFAULT '',
    followed_by    TEXT NOT NULL DEFAULT '',
    opened_at      BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX tickets_status ON tickets (status);

CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket          TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    at              BIGINT NOT NULL,
    status          TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL DEFAULT '',
    partner         TEXT NOT NULL DEFAULT '',
    environment     TEXT NOT NULL DEFAULT '',
    route           TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    os_user         TEXT NOT NULL DEFAULT '',
    triagem_version TEXT NOT NULL DEFAULT '',
    rules_name      TEXT NOT NULL DEFAULT '',
    rules_version   TEXT NOT NULL DEFAULT '',
    rules_sha256    TEXT NOT NULL DEFAULT '',
    case_yaml       TEXT NOT NULL DEFAULT '',
    verdict_json    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_ticket ON events (ticket, id);
CREATE INDEX events_at ON events (at);

-- +goose Down
DROP TABLE events;
DROP TABLE tickets;
