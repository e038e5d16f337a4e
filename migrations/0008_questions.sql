-- The question relay: a member asks one faction (or all local factions of a district), the
-- question reaches the faction's group and/or its contact people, answers go back to the asker.
--
-- A question has one `question_targets` row per faction it is addressed to: each faction claims,
-- answers, forwards or declines on its own, has its own deadline and agrees to the archive on its
-- own. The status on `questions` is the question's as the asker and the coordinators see it.
-- Deadline reminders live in `reminders` (target_kind 'question', ref_id = the target's id).

-- Per faction: days until a question's deadline, and whether answers carry only the faction's name.
ALTER TABLE factions ADD COLUMN deadline_days INTEGER NOT NULL DEFAULT 14
    CHECK (deadline_days BETWEEN 1 AND 60);
ALTER TABLE factions ADD COLUMN answer_as_faction INTEGER NOT NULL DEFAULT 0
    CHECK (answer_as_faction IN (0, 1));

-- Contact people (Fachsprecher:innen) of a faction, per topic; topic NULL: for every topic.
CREATE TABLE faction_contacts (
    id          INTEGER PRIMARY KEY,
    faction_id  INTEGER NOT NULL REFERENCES factions(id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    topic_id    INTEGER REFERENCES topics(id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX faction_contacts_unique ON faction_contacts(faction_id, member_id, coalesce(topic_id, 0));
CREATE INDEX faction_contacts_member ON faction_contacts(member_id);

-- `identity`: how the answering side sees the asker; 'anonymous' once the asker left the LAG (only
-- archived questions stay, without any trace of them). The asker's district, level and body are
-- taken when asking, so the pseudonym does not change with a later profile edit.
CREATE TABLE questions (
    id                 INTEGER PRIMARY KEY,
    asker_id           INTEGER REFERENCES members(id) ON DELETE SET NULL,
    identity           TEXT NOT NULL CHECK (identity IN ('named', 'pseudonymous', 'anonymous')),
    asker_district_id  INTEGER REFERENCES territories(id) ON DELETE SET NULL,
    asker_level        TEXT CHECK (asker_level IN ('gemeinde', 'kreis', 'land')),
    asker_body_id      INTEGER REFERENCES bodies(id) ON DELETE SET NULL,
    scope_district_id  INTEGER REFERENCES territories(id) ON DELETE SET NULL,  -- "all local factions of"
    topic_id           INTEGER REFERENCES topics(id) ON DELETE SET NULL,       -- NULL: no particular topic
    body               TEXT NOT NULL,                                          -- as typed; escaped when shown
    status             TEXT NOT NULL DEFAULT 'open'
                       CHECK (status IN ('open', 'claimed', 'answered', 'closed', 'overdue')),
    created_at         TEXT NOT NULL,
    answered_at        TEXT,
    closed_at          TEXT,
    asker_archive      INTEGER CHECK (asker_archive IN (0, 1)),                -- NULL: not decided
    archived_at        TEXT                                                    -- set while in the archive
);
CREATE INDEX questions_asker ON questions(asker_id);
CREATE INDEX questions_status ON questions(status);
CREATE INDEX questions_created ON questions(created_at);

CREATE TABLE question_targets (
    id             INTEGER PRIMARY KEY,
    question_id    INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    faction_id     INTEGER NOT NULL REFERENCES factions(id) ON DELETE RESTRICT,
    state          TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'forwarded', 'declined')),
    deadline       TEXT NOT NULL,
    claimed_by     INTEGER REFERENCES members(id) ON DELETE SET NULL,
    claimed_at     TEXT,
    answered_at    TEXT,                                                       -- this faction's first answer
    reason         TEXT,                                                       -- why it was declined
    via_target_id  INTEGER REFERENCES question_targets(id) ON DELETE SET NULL, -- forwarded from
    archive_ok     INTEGER CHECK (archive_ok IN (0, 1)),                       -- the faction's consent
    created_at     TEXT NOT NULL,
    UNIQUE (question_id, faction_id)
);
CREATE INDEX question_targets_faction ON question_targets(faction_id, created_at);

-- Answers of a faction and the asker's follow-ups, one thread per question and faction.
CREATE TABLE question_answers (
    id           INTEGER PRIMARY KEY,
    question_id  INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    target_id    INTEGER NOT NULL REFERENCES question_targets(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('answer', 'followup')),
    author_id    INTEGER REFERENCES members(id) ON DELETE SET NULL,
    as_faction   INTEGER NOT NULL DEFAULT 0 CHECK (as_faction IN (0, 1)),
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX question_answers_question ON question_answers(question_id, id);
CREATE INDEX question_answers_author ON question_answers(author_id);

-- Which Telegram message carries which question thread: a reply to one of them is an answer
-- (side 'faction') or a follow-up (side 'asker'). Never taken from forward headers, which hidden
-- forwards leave out. The outbox learns Telegram's message id only when the sender delivers the
-- row; the trigger copies it here in that same transaction, so no delivered card goes unlinked
-- and the link outlives the outbox row (which the retention rules delete after a while).
CREATE TABLE question_messages (
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    target_id   INTEGER NOT NULL REFERENCES question_targets(id) ON DELETE CASCADE,
    side        TEXT NOT NULL CHECK (side IN ('faction', 'asker')),
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX question_messages_target ON question_messages(target_id);

CREATE TRIGGER question_messages_delivered AFTER UPDATE OF message_id ON deliveries
WHEN NEW.message_id IS NOT NULL AND NEW.ref_id IS NOT NULL
     AND NEW.kind IN ('question', 'question-followup', 'question-answer')
BEGIN
    INSERT OR REPLACE INTO question_messages (chat_id, message_id, target_id, side)
    SELECT NEW.chat_id, NEW.message_id, NEW.ref_id,
           CASE NEW.kind WHEN 'question-answer' THEN 'asker' ELSE 'faction' END
    WHERE EXISTS (SELECT 1 FROM question_targets WHERE id = NEW.ref_id);
END;

-- A coordinator looked behind a pseudonym: why, when, who (also in the audit log).
CREATE TABLE question_reveals (
    id              INTEGER PRIMARY KEY,
    question_id     INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    coordinator_id  INTEGER REFERENCES members(id) ON DELETE SET NULL,
    reason          TEXT NOT NULL,
    revealed_at     TEXT NOT NULL
);
CREATE INDEX question_reveals_question ON question_reveals(question_id);

-- The internal archive: questions whose asker and at least one answering faction agreed, with
-- those factions' answers; rowid = questions.id. Never holds who asked.
CREATE VIRTUAL TABLE question_archive USING fts5(
    question, answers, tokenize = 'unicode61 remove_diacritics 2'
);
