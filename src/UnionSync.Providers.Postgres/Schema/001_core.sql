-- Schema 001 (PostgreSQL): the three synced tables of DESIGN §3. Their names and columns are a public contract.
-- id_number, credit_code and employer_code are char(18) on purpose (DESIGN §7, "lossy type mapping"): every
-- reader and writer must keep all 18 characters. Timestamps are timestamptz (UTC, microseconds).

CREATE TABLE organizations (
    id            uuid        NOT NULL,
    parent_id     uuid        NULL,
    level         smallint    NOT NULL,
    name          text        NOT NULL,
    credit_code   char(18)    NULL,
    district_code text        NOT NULL,
    status        text        NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    CONSTRAINT pk_organizations PRIMARY KEY (id),
    CONSTRAINT fk_organizations_parent_id FOREIGN KEY (parent_id) REFERENCES organizations (id),
    CONSTRAINT ck_organizations_level CHECK (level BETWEEN 1 AND 4),
    CONSTRAINT ck_organizations_credit_code CHECK (char_length(credit_code) = 18),
    CONSTRAINT ck_organizations_status CHECK (status IN ('active', 'dissolved'))
);

CREATE INDEX ix_organizations_parent_id ON organizations (parent_id);

CREATE TABLE members (
    id              uuid        NOT NULL,
    organization_id uuid        NOT NULL,
    name            text        NOT NULL,
    id_number       char(18)    NOT NULL,
    phone           text        NULL,
    employer_code   char(18)    NULL,
    join_date       date        NOT NULL,
    status          text        NOT NULL,
    migrant_worker  boolean     NOT NULL,
    skill_level     smallint    NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT pk_members PRIMARY KEY (id),
    CONSTRAINT fk_members_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id),
    CONSTRAINT ck_members_id_number CHECK (char_length(id_number) = 18),
    CONSTRAINT ck_members_employer_code CHECK (char_length(employer_code) = 18),
    CONSTRAINT ck_members_status CHECK (status IN ('active', 'transferred', 'left')),
    CONSTRAINT ck_members_skill_level CHECK (skill_level BETWEEN 0 AND 5)
);

CREATE INDEX ix_members_organization_id ON members (organization_id);
CREATE UNIQUE INDEX ux_members_id_number ON members (id_number);
CREATE INDEX ix_members_name ON members (name);

CREATE TABLE service_cards (
    id          uuid        NOT NULL,
    member_id   uuid        NOT NULL,
    card_number text        NOT NULL,
    bank        text        NOT NULL,
    issue_date  date        NOT NULL,
    expiry_date date        NOT NULL,
    status      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CONSTRAINT pk_service_cards PRIMARY KEY (id),
    CONSTRAINT fk_service_cards_member_id FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT ck_service_cards_validity CHECK (expiry_date > issue_date),
    CONSTRAINT ck_service_cards_status CHECK (status IN ('active', 'lost', 'cancelled'))
);

CREATE INDEX ix_service_cards_member_id ON service_cards (member_id);
CREATE UNIQUE INDEX ux_service_cards_card_number ON service_cards (card_number);
