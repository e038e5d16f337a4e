-- The delivery engine (outbox) and coordinator broadcasts.

-- Set when Telegram answered 403 for the member's chat; cleared when they write to the bot again.
ALTER TABLE members ADD COLUMN unreachable_at TEXT;

-- The forum topic a linked group receives its messages in (NULL: the general chat).
ALTER TABLE chats ADD COLUMN thread_id INTEGER;

CREATE TABLE broadcasts (
    id                   INTEGER PRIMARY KEY,
    created_by           INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at           TEXT NOT NULL,
    body_html            TEXT NOT NULL,
    media_kind           TEXT CHECK (media_kind IN ('photo', 'document')),
    media_file_id        TEXT,
    audience             TEXT NOT NULL,          -- the AudienceSpec as JSON
    read_button          INTEGER NOT NULL DEFAULT 0,
    scheduled_at         TEXT,
    status               TEXT NOT NULL DEFAULT 'queued'
                         CHECK (status IN ('queued', 'sending', 'stopped', 'done')),
    progress_chat_id     INTEGER,
    progress_message_id  INTEGER,
    finished_at          TEXT
);

-- One row per recipient and message, written before anything is sent.
CREATE TABLE deliveries (
    id                  INTEGER PRIMARY KEY,
    broadcast_id        INTEGER REFERENCES broadcasts(id) ON DELETE CASCADE,
    kind                TEXT NOT NULL,
    chat_id             INTEGER NOT NULL,
    member_id           INTEGER REFERENCES members(id) ON DELETE CASCADE,
    group_id            INTEGER REFERENCES chats(id) ON DELETE CASCADE,
    thread_id           INTEGER,
    parts               TEXT NOT NULL,          -- JSON list of message parts
    next_part           INTEGER NOT NULL DEFAULT 0,
    read_button         INTEGER NOT NULL DEFAULT 0,
    status              TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sending', 'sent', 'unreachable', 'failed', 'stopped')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    possible_duplicate  INTEGER NOT NULL DEFAULT 0,
    not_before          TEXT NOT NULL,
    last_error          TEXT,
    sent_at             TEXT,
    read_at             TEXT
);
CREATE INDEX deliveries_due ON deliveries(status, not_before, id);
CREATE INDEX deliveries_broadcast ON deliveries(broadcast_id, status);
CREATE INDEX deliveries_member ON deliveries(member_id);
