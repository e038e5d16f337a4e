-- Scheduled reminders: each one a row, rebuilt into the scheduler at every start.

CREATE TABLE reminders (
    id                 INTEGER PRIMARY KEY,
    created_by         INTEGER REFERENCES members(id) ON DELETE SET NULL,
    target_kind        TEXT NOT NULL CHECK (target_kind IN ('member', 'group', 'segment')),
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
    created_at         TEXT NOT NULL
);
CREATE INDEX reminders_due ON reminders(status, next_due);
CREATE INDEX reminders_member ON reminders(member_id);
CREATE INDEX reminders_group ON reminders(group_id);
