-- Foundation and membership.
-- Telegram ids live only in members.telegram_id, consents.telegram_id, dialogs.telegram_id and
-- chats.chat_id, so erasing a member is a handful of deletes (see repositories/erasure.py).

CREATE TABLE territories (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('land', 'landkreis', 'kreisfreie_stadt', 'gemeinde')),
    parent_id   INTEGER REFERENCES territories(id) ON DELETE RESTRICT
);

CREATE TABLE bodies (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('gemeinde', 'kreis', 'land')),
    territory_id  INTEGER NOT NULL REFERENCES territories(id) ON DELETE RESTRICT
);

CREATE TABLE topics (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE,
    name_de  TEXT NOT NULL,
    name_en  TEXT NOT NULL
);

CREATE TABLE members (
    id                INTEGER PRIMARY KEY,
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
    status_changed_at TEXT NOT NULL
);
CREATE INDEX members_status ON members(status);
CREATE INDEX members_district ON members(district_id);
CREATE INDEX members_name ON members(display_name COLLATE NOCASE);

-- One row per decision the person made about a version of the privacy text.
CREATE TABLE consents (
    id           INTEGER PRIMARY KEY,
    telegram_id  INTEGER NOT NULL,
    version      TEXT NOT NULL,
    granted      INTEGER NOT NULL CHECK (granted IN (0, 1)),
    decided_at   TEXT NOT NULL
);
CREATE INDEX consents_person ON consents(telegram_id);

CREATE TABLE mandates (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    body_id    INTEGER NOT NULL REFERENCES bodies(id) ON DELETE RESTRICT,
    function   TEXT NOT NULL,
    UNIQUE (member_id, body_id)
);

CREATE TABLE mandate_topics (
    mandate_id  INTEGER NOT NULL REFERENCES mandates(id) ON DELETE CASCADE,
    topic_id    INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    PRIMARY KEY (mandate_id, topic_id)
);

CREATE TABLE member_topics (
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    topic_id   INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    PRIMARY KEY (member_id, topic_id)
);

-- Only a hash of the invite code is stored: the code itself is a bearer secret.
CREATE TABLE invites (
    id          INTEGER PRIMARY KEY,
    code_hash   TEXT NOT NULL UNIQUE,
    created_by  INTEGER REFERENCES members(id) ON DELETE SET NULL,
    max_uses    INTEGER NOT NULL CHECK (max_uses > 0),
    uses        INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

-- The approval cards sent to coordinators, so every card can be closed once one decides.
CREATE TABLE approval_cards (
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);

-- Multi-step dialogs (onboarding, profile edits, …) survive a restart of the bot.
CREATE TABLE dialogs (
    telegram_id  INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    step         TEXT NOT NULL,
    data         TEXT NOT NULL DEFAULT '{}',
    updated_at   TEXT NOT NULL
);

CREATE TABLE factions (
    id       INTEGER PRIMARY KEY,
    body_id  INTEGER NOT NULL UNIQUE REFERENCES bodies(id) ON DELETE RESTRICT,
    name     TEXT NOT NULL
);

CREATE TABLE chats (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('group', 'supergroup')),
    is_forum      INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    link_kind     TEXT CHECK (link_kind IN ('lag', 'district', 'faction')),
    territory_id  INTEGER REFERENCES territories(id) ON DELETE SET NULL,
    faction_id    INTEGER REFERENCES factions(id) ON DELETE SET NULL,
    linked_by     INTEGER REFERENCES members(id) ON DELETE SET NULL,
    added_at      TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Who did what to whom. Member references become NULL when a member is erased.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER REFERENCES members(id) ON DELETE SET NULL,
    action      TEXT NOT NULL,
    target_id   INTEGER REFERENCES members(id) ON DELETE SET NULL,
    detail      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
