-- The periodic review (triagem report) reads a million events in well under two seconds only
-- from indexes that hold what it counts, never from the events' rows, whose stored case and
-- verdict weigh kilobytes each.
-- failed_checks: the ids of the checks that failed in an event's stored verdict, separated by
-- spaces, derived by the database itself from verdict_json (a trigger, and once for the
-- events already there): whatever triagem version wrote the event, the column agrees with
-- the verdict it stored. A verdict that is not JSON fails no check rather than the insert.
-- +goose Up
ALTER TABLE events ADD COLUMN failed_checks TEXT NOT NULL DEFAULT '';

-- +goose StatementBegin
CREATE FUNCTION triagem_failed_checks(verdict TEXT) RETURNS TEXT AS $$
BEGIN
    IF verdict = '' THEN
        RETURN '';
    END IF;
    RETURN COALESCE((
        SELECT string_agg(c->>'id', ' ')
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(verdict::jsonb->'checks') = 'array'
                                       THEN verdict::jsonb->'checks' ELSE '[]'::jsonb END) AS c
        WHERE c->>'status' = 'fail'), '');
EXCEPTION WHEN others THEN
    RETURN '';
END;
$$ LANGUAGE plpgsql IMMUTABLE;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION triagem_events_failed_checks() RETURNS trigger AS $$
BEGIN
    NEW.failed_checks := triagem_failed_checks(NEW.verdict_json);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER events_failed_checks BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION triagem_events_failed_checks();

UPDATE events SET failed_checks = triagem_failed_checks(verdict_json) WHERE verdict_json <> '';

-- The verdicts of a period: categories per week, the checks that fail most.
CREATE INDEX events_report ON events (kind, at, category, failed_checks);
-- Each ticket's events in order, with what its clock needs.
CREATE INDEX events_clock ON events (ticket, id, kind, at, status, category);
CREATE INDEX tickets_opened ON tickets (opened_at, id, partner);

-- +goose Down
DROP INDEX tickets_opened;
DROP INDEX events_clock;
DROP INDEX events_report;
DROP TRIGGER events_failed_checks ON events;
DROP FUNCTION triagem_events_failed_checks();
DROP FUNCTION triagem_failed_checks(TEXT);
ALTER TABLE events DROP COLUMN failed_checks;
