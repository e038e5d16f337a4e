-- Reminders gain a fifth kind of target, a question of the relay (its deadline reminders and the
-- overdue escalation), and a generic `ref_id` for what a feature's reminder is about. SQLite
-- cannot change a CHECK constraint in place, so the table is rebuilt (as in 0004). Dropping the
-- old table would cascade into `reminder_acks` (foreign keys are on), so those rows are kept aside.

CREATE TEMP TABLE acks_kept AS SELECT * FROM reminder_acks;

CREATE TABLE reminders_new (
    id                 INTEGER PRIMARY KEY,
    created_by         INTEGER REFERENCES members(id) ON DELETE SET NULL,
    target_kind        TEXT NOT NULL CHECK (target_kind IN ('member', 'group', 'segment', 'event', 'question')),
    member_id          INTEGER REFERENCES members(id) ON DELETE CASCADE,
    group_id           INTEGER REFERENCES chats(id) ON DELETE CASCADE,
    audience           TEXT,
    body               TEXT NOT NULL,
    rrule              TEXT,
    tz                 TEXT NOT NULL,
    first_at           TEXT NOT NULL,
    next_due           TEXT,
    last_fired         TEXT,
    status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'done')),
    created_at         TEXT NOT NULL,
    event_id           INTEGER,
    ack_every_min      INTEGER CHECK (ack_every_min IS NULL OR ack_every_min BETWEEN 5 AND 10080),
    ack_due            TEXT,
    repeat_due         TEXT,
    repeats            INTEGER NOT NULL DEFAULT 0,
    ref_id             INTEGER                  -- target 'question' (and later kinds): what it is about
);
INSERT INTO reminders_new (id, created_by, target_kind, member_id, group_id, audience, body, rrule, tz,
                           first_at, next_due, last_fired, status, created_at, event_id, ack_every_min,
                           ack_due, repeat_due, repeats)
    SELECT id, created_by, target_kind, member_id, group_id, audience, body, rrule, tz,
           first_at, next_due, last_fired, status, created_at, event_id, ack_every_min,
           ack_due, repeat_due, repeats FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_new RENAME TO reminders;
CREATE INDEX reminders_due ON reminders(status, next_due);
CREATE INDEX reminders_repeat ON reminders(status, repeat_due) WHERE repeat_due IS NOT NULL;
CREATE INDEX reminders_member ON reminders(member_id);
CREATE INDEX reminders_group ON reminders(group_id);
CREATE INDEX reminders_event ON reminders(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX reminders_ref ON reminders(target_kind, ref_id) WHERE ref_id IS NOT NULL;
INSERT INTO reminder_acks SELECT * FROM acks_kept;
DROP TABLE acks_kept;
