-- The periodic review (triagem report) reads a million events in well under two seconds only
-- from indexes that hold what it counts, never from the events' rows, whose stored case and
-- verdict weigh kilobytes each.
-- failed_checks: the ids of the checks that failed in an event's stored verdict, separated by
-- spaces, derived by the database itself from verdict_json (a trigger, and once for the
-- events already there): whatever triagem version wrote the event, the column agrees with
-- the verdict it stored.
-- +goose Up
ALTER TABLE events ADD COLUMN failed_checks TEXT NOT NULL DEFAULT '';

-- +goose StatementBegin
CREATE TRIGGER events_failed_checks AFTER INSERT ON events
WHEN NEW.verdict_json <> '' AND json_valid(NEW.verdict_json)
BEGIN
    UPDATE events SET failed_checks = COALESCE((
        SELECT group_concat(json_extract(c.value, '$.id'), ' ')
        FROM json_each(NEW.verdict_json, '$.checks') AS c
        WHERE json_extract(c.value, '$.status') = 'fail'), '')
    WHERE id = NEW.id;
END;
-- +goose StatementEnd

UPDATE events SET failed_checks = COALESCE((
    SELECT group_concat(json_extract(c.value, '$.id'), ' ')
    FROM json_each(events.verdict_json, '$.checks') AS c
    WHERE json_extract(c.value, '$.status') = 'fail'), '')
WHERE verdict_json <> '' AND json_valid(verdict_json);

-- The verdicts of a period: categories per week, the checks that fail most.
CREATE INDEX events_report ON events (kind, at, category, failed_checks);
-- Each ticket's events in order, with what its clock needs.
CREATE INDEX events_clock ON events (ticket, id, kind, at, status, category);
CREATE INDEX tickets_opened ON tickets (opened_at, id, partner);

-- +goose Down
DROP INDEX tickets_opened;
DROP INDEX events_clock;
DROP INDEX events_report;
DROP TRIGGER events_failed_checks;
ALTER TABLE events DROP COLUMN failed_checks;
