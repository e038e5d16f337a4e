-- foreign_keys: off
-- A member's internal id is never given to anyone else, also after an erasure: without
-- AUTOINCREMENT SQLite hands the highest id out again once its row is deleted, and old buttons,
-- log lines and audit entries about "member #3" would then point at a newcomer. SQLite adds
-- AUTOINCREMENT only to a new table, so `members` is rebuilt with the same columns and rows (the
-- runner keeps foreign keys off meanwhile, so that dropping the old table cascades into nothing,
-- and checks every reference before it commits).

CREATE TABLE members_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    telegram_id       INTEGER NOT NULL UNIQUE,
    display_name      TEXT,
    language          TEXT NOT NULL DEFAULT 'de',
    status            TEXT NOT NULL DEFAULT 'onboarding'
                      CHECK (status IN ('onboarding', 'pending', 'active', 'rejected', 'suspended')),
    role              TEXT NOT NULL DEFAULT 'member'
                      CHECK (role IN ('member', 'coordinator', 'admin')),
    district_id       INTEGER REFERENCES territories(id) ON DELETE SET NULL,
    municipality_id   INTEGER REFERENCES territories(id) ON DELETE SET NULL,
    directory_opt_in  INTEGER NOT NULL DEFAULT 0,
    joined_via_invite INTEGER REFERENCES invites(id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    status_changed_at TEXT NOT NULL,
    unreachable_at    TEXT
);
INSERT INTO members_new (id, telegram_id, display_name, language, status, role, district_id,
                         municipality_id, directory_opt_in, joined_via_invite, created_at,
                         status_changed_at, unreachable_at)
    SELECT id, telegram_id, display_name, language, status, role, district_id, municipality_id,
           directory_opt_in, joined_via_invite, created_at, status_changed_at, unreachable_at
    FROM members;
DROP TABLE members;
ALTER TABLE members_new RENAME TO members;
CREATE INDEX members_status ON members(status);
CREATE INDEX members_district ON members(district_id);
CREATE INDEX members_name ON members(display_name COLLATE NOCASE);
