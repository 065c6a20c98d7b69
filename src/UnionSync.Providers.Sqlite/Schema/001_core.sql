-- Schema 001 (SQLite): the three synced tables of DESIGN §3. Their names and columns are a public contract.
-- Stored forms, so that a person with sqlite3 can read and write them:
--   ids        lowercase canonical UUID text, e.g. '0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9d0e'
--   dates      ISO text 'YYYY-MM-DD'
--   timestamps UTC ISO-8601 text 'YYYY-MM-DDTHH:MM:SSZ', or with six fractional digits 'YYYY-MM-DDTHH:MM:SS.ffffffZ'
--              when the microseconds are not zero
--   booleans   INTEGER 0 or 1
-- STRICT tables refuse values of the wrong storage class; the CHECK constraints refuse text of the wrong shape and
-- dates that do not exist (the round trip through unixepoch() turns '2025-02-30' into '2025-03-02').

CREATE TABLE organizations (
    id            TEXT    NOT NULL PRIMARY KEY,
    parent_id     TEXT    NULL REFERENCES organizations (id),
    level         INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    credit_code   TEXT    NULL,
    district_code TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    CONSTRAINT ck_organizations_id CHECK (id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    CONSTRAINT ck_organizations_parent_id CHECK (parent_id IS NULL OR parent_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    CONSTRAINT ck_organizations_level CHECK (level BETWEEN 1 AND 4),
    CONSTRAINT ck_organizations_credit_code CHECK (credit_code IS NULL OR length(credit_code) = 18),
    CONSTRAINT ck_organizations_status CHECK (status IN ('active', 'dissolved')),
    CONSTRAINT ck_organizations_created_at CHECK (
        (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'
         OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')
        AND strftime('%Y-%m-%dT%H:%M:%S', unixepoch(substr(created_at, 1, 19)), 'unixepoch') IS substr(created_at, 1, 19)),
    CONSTRAINT ck_organizations_updated_at CHECK (
        (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'
         OR updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')
        AND strftime('%Y-%m-%dT%H:%M:%S', unixepoch(substr(updated_at, 1, 19)), 'unixepoch') IS substr(updated_at, 1, 19))
) STRICT;

CREATE INDEX ix_organizations_parent_id ON organizations (parent_id);

CREATE TABLE members (
    id              TEXT    NOT NULL PRIMARY KEY,
    organization_id TEXT    NOT NULL REFERENCES organizations (id),
    name            TEXT    NOT NULL,
    id_number       TEXT    NOT NULL,
    phone           TEXT    NULL,
    employer_code   TEXT    NULL,
    join_date       TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    migrant_worker  INTEGER NOT NULL,
    skill_level     INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CONSTRAINT ck_members_id CHECK (id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    CONSTRAINT ck_members_organization_id CHECK (organization_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    CONSTRAINT ck_members_id_number CHECK (length(id_number) = 18),
    CONSTRAINT ck_members_employer_code CHECK (employer_code IS NULL OR length(employer_code) = 18),
    CONSTRAINT ck_members_join_date CHECK (date(unixepoch(join_date), 'unixepoch') IS join_date),
    CONSTRAINT ck_members_status CHECK (status IN ('active', 'transferred', 'left')),
    CONSTRAINT ck_members_migrant_worker CHECK (migrant_worker IN (0, 1)),
    CONSTRAINT ck_members_skill_level CHECK (skill_level BETWEEN 0 AND 5),
    CONSTRAINT ck_members_created_at CHECK (
        (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'
         OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')
        AND strftime('%Y-%m-%dT%H:%M:%S', unixepoch(substr(created_at, 1, 19)), 'unixepoch') IS substr(created_at, 1, 19)),
    CONSTRAINT ck_members_updated_at CHECK (
        (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'
         OR updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')
        AND strftime('%Y-%m-%dT%H:%M:%S', unixepoch(substr(updated_at, 1, 19)), 'unixepoch') IS substr(updated_at, 1, 19))
) STRICT;

CREATE INDEX ix_members_organization_id ON members (organization_id);
CREATE UNIQUE INDEX ux_members_id_number ON members (id_number);
CREATE INDEX ix_members_name ON members (name);

CREATE TABLE service_cards (
    id          TEXT NOT NULL PRIMARY KEY,
    member_id   TEXT NOT NULL REFERENCES members (id),
    card_number TEXT NOT NULL,
    bank        TEXT NOT NULL,
    issue_date  TEXT NOT NULL,
    expiry_date TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CONSTRAINT ck_service_cards_id CHECK (id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    CONSTRAINT ck_service_cards_member_id CHECK (member_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    CONSTRAINT ck_service_cards_issue_date CHECK (date(unixepoch(issue_date), 'unixepoch') IS issue_date),
    CONSTRAINT ck_service_cards_expiry_date CHECK (date(unixepoch(expiry_date), 'unixepoch') IS expiry_date),
    CONSTRAINT ck_service_cards_validity CHECK (expiry_date > issue_date),
    CONSTRAINT ck_service_cards_status CHECK (status IN ('active', 'lost', 'cancelled')),
    CONSTRAINT ck_service_cards_created_at CHECK (
        (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'
         OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')
        AND strftime('%Y-%m-%dT%H:%M:%S', unixepoch(substr(created_at, 1, 19)), 'unixepoch') IS substr(created_at, 1, 19)),
    CONSTRAINT ck_service_cards_updated_at CHECK (
        (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'
         OR updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')
        AND strftime('%Y-%m-%dT%H:%M:%S', unixepoch(substr(updated_at, 1, 19)), 'unixepoch') IS substr(updated_at, 1, 19))
) STRICT;

CREATE INDEX ix_service_cards_member_id ON service_cards (member_id);
CREATE UNIQUE INDEX ux_service_cards_card_number ON service_cards (card_number);
