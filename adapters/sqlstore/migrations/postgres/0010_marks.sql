-- Named marks record facts a program must know once they are done (the
-- demo seeded in full).
CREATE TABLE marks (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    at    TEXT NOT NULL
);
