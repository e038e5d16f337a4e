-- Events: meetings, workshops, conferences, info stands (with shifts); RSVP with capacity and a
-- waitlist; the groups each event was announced to. Times are UTC ISO; `tz` is the IANA zone the
-- event is shown in (and a series repeats in). Event reminders live in `reminders`
-- (target_kind 'event', event_id), written and removed by the events feature.
-- Answers stay after an event has passed (attendance figures for the statistics); a member who
-- leaves takes their answers and shift sign-ups along (ON DELETE CASCADE).

CREATE TABLE events (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,       -- stable across edits, for .ics files
    sequence          INTEGER NOT NULL DEFAULT 0, -- raised on every change (.ics SEQUENCE)
    title             TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('sitzung', 'workshop', 'konferenz', 'infostand',
                                                    'fraktionssitzung', 'exkursion', 'sonstiges')),
    starts_at         TEXT NOT NULL,              -- the (first) start
    ends_at           TEXT NOT NULL,              -- the (first) end
    tz                TEXT NOT NULL,
    rrule             TEXT,                       -- NULL: once; else RFC 5545 RRULE, wall time in tz
    place             TEXT NOT NULL DEFAULT '',
    link              TEXT NOT NULL DEFAULT '',
    description       TEXT NOT NULL DEFAULT '',
    audience          TEXT NOT NULL,              -- the AudienceSpec as JSON
    capacity          INTEGER CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 10000),
    deadline          TEXT,                       -- registration closes; NULL: at the start
    remind_offsets    TEXT NOT NULL DEFAULT '1440,120',  -- minutes before each start, comma-separated
    remind_maybe      INTEGER NOT NULL DEFAULT 0 CHECK (remind_maybe IN (0, 1)),
    shift_alert_days  INTEGER CHECK (shift_alert_days IS NULL OR shift_alert_days BETWEEN 1 AND 60),
    status            TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'cancelled')),
    created_by        INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX events_upcoming ON events(status, ends_at);

-- Single dates of a series that were cancelled (the start of that date, UTC ISO).
CREATE TABLE event_exdates (
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    occurrence  TEXT NOT NULL,
    PRIMARY KEY (event_id, occurrence)
);

-- The linked groups an event was announced to (they get its reminders and notices).
CREATE TABLE event_groups (
    event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    group_id  INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, group_id)
);
CREATE INDEX event_groups_group ON event_groups(group_id);

-- One answer per member and event; a full event's 'yes' becomes 'waitlist', ordered by wait_seq.
CREATE TABLE rsvps (
    event_id     INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    answer       TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'maybe', 'waitlist')),
    wait_seq     INTEGER,                         -- set while on the waitlist: lower goes first
    answered_at  TEXT NOT NULL,
    PRIMARY KEY (event_id, member_id)
);
CREATE INDEX rsvps_member ON rsvps(member_id);

CREATE TABLE shifts (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    min_people  INTEGER NOT NULL CHECK (min_people >= 0),
    max_people  INTEGER CHECK (max_people IS NULL OR max_people >= min_people)
);
CREATE INDEX shifts_event ON shifts(event_id);

CREATE TABLE shift_signups (
    shift_id   INTEGER NOT NULL REFERENCES shifts(id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    signed_at  TEXT NOT NULL,
    PRIMARY KEY (shift_id, member_id)
);
CREATE INDEX shift_signups_member ON shift_signups(member_id);
