-- Reminders learn two things: an optional acknowledgement ("Erledigt ✓", repeated every
-- `ack_every_min` minutes until someone confirms) and a fourth kind of target, an event (the
-- events feature keeps its reminders here too: one scheduler for the whole bot). SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt; nothing references it yet.

CREATE TABLE reminders_new (
    id                 INTEGER PRIMARY KEY,
    created_by         INTEGER REFERENCES members(id) ON DELETE SET NULL,
    target_kind        TEXT NOT NULL CHECK (target_kind IN ('member', 'group', 'segment', 'event')),
    member_id          INTEGER REFERENCES members(id) ON DELETE CASCADE,  -- a personal reminder's owner
    group_id           INTEGER REFERENCES chats(id) ON DELETE CASCADE,
    audience           TEXT,                    -- AudienceSpec JSON for a segment
    body               TEXT NOT NULL,           -- as typed; escaped when rendered
    rrule              TEXT,                    -- NULL: once
    tz                 TEXT NOT NULL,
    first_at           TEXT NOT NULL,           -- the first firing, ISO with offset (anchors INTERVAL rules)
    next_due           TEXT,                    -- UTC ISO; NULL once nothing is left to fire
    last_fired         TEXT,                    -- the due time last handed to the outbox
    status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'done')),
    created_at         TEXT NOT NULL,
    event_id           INTEGER,                 -- target 'event': the event it reminds of (its feature removes the rows)
    ack_every_min      INTEGER CHECK (ack_every_min IS NULL OR ack_every_min BETWEEN 5 AND 10080),
    ack_due            TEXT,                    -- the firing (UTC ISO) waiting for its "Erledigt ✓"
    repeat_due         TEXT,                    -- when that firing is repeated next; NULL: no repeat pending
    repeats            INTEGER NOT NULL DEFAULT 0  -- repeats sent for ack_due
);
INSERT INTO reminders_new (id, created_by, target_kind, member_id, group_id, audience, body, rrule, tz,
                           first_at, next_due, last_fired, status, created_at)
    SELECT id, created_by, target_kind, member_id, group_id, audience, body, rrule, tz,
           first_at, next_due, last_fired, status, created_at FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_new RENAME TO reminders;
CREATE INDEX reminders_due ON reminders(status, next_due);
CREATE INDEX reminders_repeat ON reminders(status, repeat_due) WHERE repeat_due IS NOT NULL;
CREATE INDEX reminders_member ON reminders(member_id);
CREATE INDEX reminders_group ON reminders(group_id);
CREATE INDEX reminders_event ON reminders(event_id) WHERE event_id IS NOT NULL;

-- Who confirmed which firing. A group's firing is done with the first row; a member's with theirs.
CREATE TABLE reminder_acks (
    reminder_id        INTEGER NOT NULL REFERENCES reminders(id) ON DELETE CASCADE,
    occurrence         TEXT NOT NULL,           -- the ack_due it confirms
    member_id          INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    acked_at           TEXT NOT NULL,
    PRIMARY KEY (reminder_id, occurrence, member_id)
);
