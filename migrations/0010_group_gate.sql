-- Groups follow membership (issue 18): a linked group can admit members only (join requests
-- through its own invite link), remove those who leave automatically, and the bot remembers who
-- it has seen in which group (only the group and the member; gone with the member's row).

ALTER TABLE chats ADD COLUMN members_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chats ADD COLUMN auto_remove INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chats ADD COLUMN join_link TEXT;
ALTER TABLE chats ADD COLUMN rights_lost INTEGER NOT NULL DEFAULT 0;

CREATE TABLE group_members (
    group_id   INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, member_id)
) WITHOUT ROWID;
CREATE INDEX group_members_member ON group_members(member_id);

-- A removal waiting for a coordinator's confirmation: the Telegram id it concerns and the groups.
-- After /austreten this is all that is left, and it goes with the confirmation.
CREATE TABLE group_removals (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    telegram_id  INTEGER NOT NULL,
    reason       TEXT NOT NULL CHECK (reason IN ('leave', 'suspend', 'reject')),
    created_at   TEXT NOT NULL
);
CREATE TABLE group_removal_chats (
    removal_id  INTEGER NOT NULL REFERENCES group_removals(id) ON DELETE CASCADE,
    group_id    INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    PRIMARY KEY (removal_id, group_id)
) WITHOUT ROWID;
