-- UnionSync core schema for SQL Server: the three tables of DESIGN §3.
-- Table and column names are a public contract: add, never rename.
--
-- Types: ids uniqueidentifier; level/skill_level smallint; names and free text nvarchar; the 18-character codes
-- char(18); dates date; UTC timestamps datetime2(6) (microseconds, as PostgreSQL keeps them); booleans bit.
--
-- Collation: status words and codes (id_number, credit_code, employer_code, card_number) use the binary collation
-- Latin1_General_100_BIN2, so that their CHECK and UNIQUE rules are case-sensitive as on PostgreSQL and SQLite:
-- under a database's usual case-insensitive collation 'ACTIVE' would pass the status check, and '...002x' would
-- collide with '...002X' in the unique index.
--
-- Clustering: every table has a NONCLUSTERED primary key on id and is clustered on created_at instead.
-- The project writes version-7 UUIDs, whose time prefix is in the first bytes of the canonical text. SQL Server
-- orders uniqueidentifier by the LAST six bytes first (then bytes 8-9, 6-7, 4-5, 0-3), i.e. by the random tail
-- of a v7 UUID, so a clustered index on id would receive every new row at a random page: page splits,
-- fragmentation, and a cold buffer pool for a table of 4.3 million members. Other writers may use any UUID (v4)
-- anyway. created_at is narrow (8 bytes), never updated, and grows with inserts, so new rows append at the end of
-- the clustered index; lookups by id use the primary key index plus one key lookup. No column is added for this.
-- The clustered index is not unique: SQL Server adds its 4-byte uniquifier only to rows with duplicate created_at.

CREATE TABLE organizations
(
    id            uniqueidentifier NOT NULL,
    parent_id     uniqueidentifier NULL,
    level         smallint         NOT NULL,
    name          nvarchar(400)    NOT NULL,
    credit_code   char(18)         COLLATE Latin1_General_100_BIN2 NULL,
    district_code nvarchar(32)     NOT NULL,
    status        nvarchar(16)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    created_at    datetime2(6)     NOT NULL,
    updated_at    datetime2(6)     NOT NULL,
    CONSTRAINT pk_organizations PRIMARY KEY NONCLUSTERED (id),
    CONSTRAINT fk_organizations_parent FOREIGN KEY (parent_id) REFERENCES organizations (id),
    CONSTRAINT ck_organizations_level CHECK (level BETWEEN 1 AND 4),
    CONSTRAINT ck_organizations_status CHECK (status IN (N'active', N'dissolved'))
);

CREATE CLUSTERED INDEX cx_organizations_created_at ON organizations (created_at);
CREATE INDEX ix_organizations_parent_id ON organizations (parent_id);
GO

CREATE TABLE members
(
    id              uniqueidentifier NOT NULL,
    organization_id uniqueidentifier NOT NULL,
    name            nvarchar(200)    NOT NULL,
    id_number       char(18)         COLLATE Latin1_General_100_BIN2 NOT NULL,
    phone           nvarchar(32)     NULL,
    employer_code   char(18)         COLLATE Latin1_General_100_BIN2 NULL,
    join_date       date             NOT NULL,
    status          nvarchar(16)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    migrant_worker  bit              NOT NULL,
    skill_level     smallint         NOT NULL,
    created_at      datetime2(6)     NOT NULL,
    updated_at      datetime2(6)     NOT NULL,
    CONSTRAINT pk_members PRIMARY KEY NONCLUSTERED (id),
    CONSTRAINT fk_members_organization FOREIGN KEY (organization_id) REFERENCES organizations (id),
    CONSTRAINT ck_members_status CHECK (status IN (N'active', N'transferred', N'left')),
    CONSTRAINT ck_members_skill_level CHECK (skill_level BETWEEN 0 AND 5)
);

CREATE CLUSTERED INDEX cx_members_created_at ON members (created_at);
CREATE INDEX ix_members_organization_id ON members (organization_id);
CREATE UNIQUE INDEX ux_members_id_number ON members (id_number);
CREATE INDEX ix_members_name ON members (name);
GO

CREATE TABLE service_cards
(
    id          uniqueidentifier NOT NULL,
    member_id   uniqueidentifier NOT NULL,
    card_number nvarchar(64)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    bank        nvarchar(200)    NOT NULL,
    issue_date  date             NOT NULL,
    expiry_date date             NOT NULL,
    status      nvarchar(16)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    created_at  datetime2(6)     NOT NULL,
    updated_at  datetime2(6)     NOT NULL,
    CONSTRAINT pk_service_cards PRIMARY KEY NONCLUSTERED (id),
    CONSTRAINT fk_service_cards_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT ck_service_cards_status CHECK (status IN (N'active', N'lost', N'cancelled')),
    CONSTRAINT ck_service_cards_dates CHECK (expiry_date > issue_date)
);

CREATE CLUSTERED INDEX cx_service_cards_created_at ON service_cards (created_at);
CREATE INDEX ix_service_cards_member_id ON service_cards (member_id);
CREATE UNIQUE INDEX ux_service_cards_card_number ON service_cards (card_number);
GO
