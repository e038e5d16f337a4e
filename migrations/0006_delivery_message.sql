-- What a delivered message can be found by later: Telegram's message id (of its last part, the
-- one carrying the buttons) and what it is about (e.g. the event an invitation announces), so a
-- message can be edited in place (live counts on an event's invitation in a group).
ALTER TABLE deliveries ADD COLUMN message_id INTEGER;
ALTER TABLE deliveries ADD COLUMN ref_id INTEGER;
CREATE INDEX deliveries_ref ON deliveries(kind, ref_id) WHERE ref_id IS NOT NULL;
