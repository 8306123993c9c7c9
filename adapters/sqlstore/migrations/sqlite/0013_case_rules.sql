-- Rules of the case (issue 16).
-- Make-up working days (调休补班): a calendar entry may be an official
-- working day on a weekend, which regular meetings treat as a working day.
ALTER TABLE holidays ADD COLUMN workday BOOLEAN NOT NULL DEFAULT FALSE;
-- A body's bylaws may allow proxy voting; a meeting keeps the written
-- proxies recorded before it (JSON).
ALTER TABLE bodies ADD COLUMN proxies BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE meetings ADD COLUMN proxies TEXT NOT NULL DEFAULT '[]';
-- Opinions a worker entered for a resident from a paper form.
ALTER TABLE opinions ADD COLUMN entered_by TEXT NOT NULL DEFAULT '';
ALTER TABLE opinions ADD COLUMN form_ref TEXT NOT NULL DEFAULT '';
-- Meetings that deliberate without voting, and the joint council
-- meeting's invited participants (JSON): a council meeting's invitees, a
-- consultation's recommendations, an open-space meeting's topics.
ALTER TABLE meetings ADD COLUMN invitees TEXT NOT NULL DEFAULT '[]';
ALTER TABLE meetings ADD COLUMN recommendations TEXT NOT NULL DEFAULT '[]';
ALTER TABLE meetings ADD COLUMN topics TEXT NOT NULL DEFAULT '[]';
