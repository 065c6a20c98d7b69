-- Change tracking for SQL Server (docs/sync-engine.md §2-3). Run by SqlServerChangeTracker.ProvisionAsync, batch by batch
-- (split on GO lines), in one transaction holding the application lock 'unionsync_tracking_provision'. Every batch is
-- idempotent: tables, indexes and the sequence are created only when missing; triggers are CREATE OR ALTER.
-- Nothing here writes per existing data row: rows never changed since provisioning have no tracking row.
-- tbl: 1 organizations, 2 members, 3 service_cards.
--
-- The watermark is a rowversion (rv), bounded by MIN_ACTIVE_ROWVERSION() when a snapshot opens: a transaction still
-- open then holds a rowversion >= that bound, so its rows are shipped by the next session, never skipped. The local
-- version (version, origin_version) names versions, it does not order commits. It is a hybrid logical clock value:
-- @hlc, read once per trigger, is the larger of (wall_ms + clock_offset_ms) * 65536 (the wall clock SYSUTCDATETIME() in
-- Unix milliseconds, shifted left 16 bits) and hlc_floor + 1; each row adds the low 16 bits of a value of the sequence
-- unionsync_version_seq, so the rows of one millisecond differ, and an update keeps the row's version above its previous
-- version and origin (the sequence caches values and a clock may step back; two versions of a row must never share an
-- identity). When one statement references NEXT VALUE FOR the same sequence twice, both return the same value for a
-- row, so version = origin_version for a local write. NEXT VALUE FOR is never an argument of GREATEST: SQL Server
-- refuses it inside conditional expressions (CASE, COALESCE, IIF, ...), so it is only ever added.
-- clock_offset_ms (default 0) is added to the wall clock: set it to simulate a node whose clock is wrong in tests, or to
-- correct a node whose OS clock cannot be fixed. hlc_floor is raised by the apply transaction to the largest
-- origin_version it received (the HLC receive rule), so a write made here after receiving a version is larger than it
-- whatever this node's clock says. A node provisioned by an older version is upgraded in place: the missing columns are
-- added, the triggers altered, and SqlServerChangeTracker raises schema_version to SyncMetadataVersion.Current.

IF OBJECT_ID(N'unionsync_node', N'U') IS NULL
    CREATE TABLE unionsync_node
    (
        singleton       bit              NOT NULL CONSTRAINT pk_unionsync_node PRIMARY KEY CONSTRAINT ck_unionsync_node_singleton CHECK (singleton = 1),
        node_id         uniqueidentifier NOT NULL,
        node_no         int              NOT NULL,
        schema_version  int              NOT NULL,
        clock_offset_ms bigint           NOT NULL CONSTRAINT df_unionsync_node_clock_offset_ms DEFAULT 0,
        hlc_floor       bigint           NOT NULL CONSTRAINT df_unionsync_node_hlc_floor DEFAULT 0
    );

-- Metadata version 2 added the hybrid logical clock's columns.
IF COL_LENGTH(N'unionsync_node', N'clock_offset_ms') IS NULL
    ALTER TABLE unionsync_node ADD clock_offset_ms bigint NOT NULL CONSTRAINT df_unionsync_node_clock_offset_ms DEFAULT 0;

IF COL_LENGTH(N'unionsync_node', N'hlc_floor') IS NULL
    ALTER TABLE unionsync_node ADD hlc_floor bigint NOT NULL CONSTRAINT df_unionsync_node_hlc_floor DEFAULT 0;

IF OBJECT_ID(N'unionsync_nodes', N'U') IS NULL
    CREATE TABLE unionsync_nodes
    (
        node_no int              IDENTITY(1, 1) NOT NULL CONSTRAINT pk_unionsync_nodes PRIMARY KEY,
        node_id uniqueidentifier NOT NULL CONSTRAINT ux_unionsync_nodes_node_id UNIQUE
    );

IF OBJECT_ID(N'unionsync_version_seq', N'SO') IS NULL
    CREATE SEQUENCE unionsync_version_seq AS bigint START WITH 1 INCREMENT BY 1 CACHE 1000;

-- origin_node_no NULL: the row's initial version (it arrived from a peer that never changed it); still forwarded.
-- ix_unionsync_tracking_rv is (tbl, rv): each table's change selection is one range seek on the rowversion.
IF OBJECT_ID(N'unionsync_tracking', N'U') IS NULL
BEGIN
    CREATE TABLE unionsync_tracking
    (
        tbl            tinyint          NOT NULL,
        id             uniqueidentifier NOT NULL,
        version        bigint           NOT NULL,
        rv             rowversion       NOT NULL,
        origin_node_no int              NULL,
        origin_version bigint           NULL,
        base_node_no   int              NULL,
        base_version   bigint           NULL,
        source_peer_no int              NULL,
        deleted        bit              NOT NULL,
        scope_org      uniqueidentifier NULL,
        CONSTRAINT pk_unionsync_tracking PRIMARY KEY (tbl, id)
    );
    CREATE INDEX ix_unionsync_tracking_rv ON unionsync_tracking (tbl, rv);
END;

IF OBJECT_ID(N'unionsync_moves', N'U') IS NULL
BEGIN
    CREATE TABLE unionsync_moves
    (
        move_no  bigint           IDENTITY(1, 1) NOT NULL CONSTRAINT pk_unionsync_moves PRIMARY KEY,
        version  bigint           NOT NULL,
        rv       rowversion       NOT NULL,
        tbl      tinyint          NOT NULL,
        id       uniqueidentifier NOT NULL,
        from_org uniqueidentifier NULL,
        to_org   uniqueidentifier NULL
    );
    CREATE INDEX ix_unionsync_moves_rv ON unionsync_moves (rv);
    CREATE INDEX ix_unionsync_moves_key ON unionsync_moves (tbl, id, rv);
END;

IF OBJECT_ID(N'unionsync_peers', N'U') IS NULL
    CREATE TABLE unionsync_peers
    (
        peer_id            uniqueidentifier NOT NULL CONSTRAINT pk_unionsync_peers PRIMARY KEY,
        role               nvarchar(16)     NOT NULL CONSTRAINT ck_unionsync_peers_role CHECK (role IN (N'parent', N'child')),
        scope_org          uniqueidentifier NOT NULL,
        sent_watermark     bigint           NOT NULL,
        received_watermark bigint           NOT NULL,
        protocol_version   int              NOT NULL,
        first_sync_at      datetime2(6)     NOT NULL,
        last_sync_at       datetime2(6)     NOT NULL
    );

IF OBJECT_ID(N'unionsync_applied_batches', N'U') IS NULL
    CREATE TABLE unionsync_applied_batches
    (
        session_id uniqueidentifier NOT NULL,
        direction  nvarchar(16)     NOT NULL,
        batch_no   int              NOT NULL,
        applied_at datetime2(6)     NOT NULL CONSTRAINT df_unionsync_applied_batches_applied_at DEFAULT SYSUTCDATETIME(),
        CONSTRAINT pk_unionsync_applied_batches PRIMARY KEY (session_id, direction, batch_no)
    );

IF OBJECT_ID(N'unionsync_sessions', N'U') IS NULL
    CREATE TABLE unionsync_sessions
    (
        session_id      uniqueidentifier NOT NULL CONSTRAINT pk_unionsync_sessions PRIMARY KEY,
        peer_id         uniqueidentifier NOT NULL,
        phase           nvarchar(32)     NOT NULL,
        upload_target   bigint           NULL,
        download_target bigint           NULL,
        next_batch      int              NOT NULL CONSTRAINT df_unionsync_sessions_next_batch DEFAULT 0,
        updated_at      datetime2(6)     NOT NULL CONSTRAINT df_unionsync_sessions_updated_at DEFAULT SYSUTCDATETIME()
    );

IF OBJECT_ID(N'unionsync_conflicts', N'U') IS NULL
    CREATE TABLE unionsync_conflicts
    (
        id                    bigint           IDENTITY(1, 1) NOT NULL CONSTRAINT pk_unionsync_conflicts PRIMARY KEY,
        tbl                   nvarchar(64)     NOT NULL,
        row_id                uniqueidentifier NOT NULL,
        kind                  nvarchar(64)     NOT NULL,
        parent_version        nvarchar(max)    NULL,
        child_version         nvarchar(max)    NULL,
        parent_origin_node    uniqueidentifier NULL,
        parent_origin_version bigint           NULL,
        child_origin_node     uniqueidentifier NULL,
        child_origin_version  bigint           NULL,
        parent_node           uniqueidentifier NOT NULL,
        child_node            uniqueidentifier NOT NULL,
        policy                nvarchar(64)     NOT NULL,
        outcome               nvarchar(1000)   NOT NULL,
        state                 nvarchar(16)     NOT NULL,
        detected_at           datetime2(6)     NOT NULL,
        resolved_at           datetime2(6)     NULL
    );
GO

-- The added columns (table.column, docs/sync-engine.md §10) this node, as a parent, has backfilled at each child.
IF OBJECT_ID(N'unionsync_peer_columns', N'U') IS NULL
    CREATE TABLE unionsync_peer_columns
    (
        peer_id          uniqueidentifier NOT NULL,
        qualified_column nvarchar(300)    NOT NULL,
        CONSTRAINT pk_unionsync_peer_columns PRIMARY KEY (peer_id, qualified_column)
    );
GO

-- Conflict policy per table, kept at the parent: every process syncing with this node as its parent applies the same.
IF OBJECT_ID(N'unionsync_policies', N'U') IS NULL
    CREATE TABLE unionsync_policies
    (
        tbl        nvarchar(64) NOT NULL CONSTRAINT pk_unionsync_policies PRIMARY KEY,
        policy     nvarchar(32) NOT NULL,
        updated_at datetime2(6) NOT NULL
    );
GO

-- For merge-columns and field-authority, kept at the parent as the policy is: the policy that decides a conflict the
-- column merge cannot (both sides changed one column), and the side that owns each column.
IF OBJECT_ID(N'unionsync_policy_fallbacks', N'U') IS NULL
    CREATE TABLE unionsync_policy_fallbacks
    (
        tbl        nvarchar(64) NOT NULL CONSTRAINT pk_unionsync_policy_fallbacks PRIMARY KEY,
        fallback   nvarchar(32) NOT NULL,
        updated_at datetime2(6) NOT NULL
    );

IF OBJECT_ID(N'unionsync_column_owners', N'U') IS NULL
    CREATE TABLE unionsync_column_owners
    (
        tbl        nvarchar(64)  NOT NULL,
        col        nvarchar(128) NOT NULL,
        owner      nvarchar(64)  NOT NULL,
        updated_at datetime2(6)  NOT NULL,
        CONSTRAINT pk_unionsync_column_owners PRIMARY KEY (tbl, col)
    );
GO

-- Base rows (docs/sync-engine.md §11): per data table, the row as this node last agreed it with its parent, kept from
-- the row's first local change since then until the next version of it received from the parent. Exactly the contract
-- columns (DESIGN §3, Schema/001_core.sql) with their types and collations; no constraint but the key, so a base row
-- outlives a delete of its data row. Clustered on id: the tables hold only the rows changed since they were last
-- agreed, and every read and write of them is by key.
IF OBJECT_ID(N'unionsync_base_organizations', N'U') IS NULL
    CREATE TABLE unionsync_base_organizations
    (
        id            uniqueidentifier NOT NULL CONSTRAINT pk_unionsync_base_organizations PRIMARY KEY,
        parent_id     uniqueidentifier NULL,
        level         smallint         NULL,
        name          nvarchar(400)    NULL,
        credit_code   char(18)         COLLATE Latin1_General_100_BIN2 NULL,
        district_code nvarchar(32)     NULL,
        status        nvarchar(16)     COLLATE Latin1_General_100_BIN2 NULL,
        created_at    datetime2(6)     NULL,
        updated_at    datetime2(6)     NULL
    );

IF OBJECT_ID(N'unionsync_base_members', N'U') IS NULL
    CREATE TABLE unionsync_base_members
    (
        id              uniqueidentifier NOT NULL CONSTRAINT pk_unionsync_base_members PRIMARY KEY,
        organization_id uniqueidentifier NULL,
        name            nvarchar(200)    NULL,
        id_number       char(18)         COLLATE Latin1_General_100_BIN2 NULL,
        phone           nvarchar(32)     NULL,
        employer_code   char(18)         COLLATE Latin1_General_100_BIN2 NULL,
        join_date       date             NULL,
        status          nvarchar(16)     COLLATE Latin1_General_100_BIN2 NULL,
        migrant_worker  bit              NULL,
        skill_level     smallint         NULL,
        created_at      datetime2(6)     NULL,
        updated_at      datetime2(6)     NULL
    );

IF OBJECT_ID(N'unionsync_base_service_cards', N'U') IS NULL
    CREATE TABLE unionsync_base_service_cards
    (
        id          uniqueidentifier NOT NULL CONSTRAINT pk_unionsync_base_service_cards PRIMARY KEY,
        member_id   uniqueidentifier NULL,
        card_number nvarchar(64)     COLLATE Latin1_General_100_BIN2 NULL,
        bank        nvarchar(200)    NULL,
        issue_date  date             NULL,
        expiry_date date             NULL,
        status      nvarchar(16)     COLLATE Latin1_General_100_BIN2 NULL,
        created_at  datetime2(6)     NULL,
        updated_at  datetime2(6)     NULL
    );

-- The tables whose base rows this node keeps, by number (1 organizations, 2 members, 3 service_cards): those its parent
-- merges by columns, set by the engine whenever a session opens (IChangeTracker.SetBaseCaptureAsync). Empty on a new node,
-- which keeps no base row until its parent's policies ask for them.
IF OBJECT_ID(N'unionsync_base_capture', N'U') IS NULL
    CREATE TABLE unionsync_base_capture
    (
        tbl tinyint NOT NULL CONSTRAINT pk_unionsync_base_capture PRIMARY KEY
    );
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_unionsync_conflicts_state' AND object_id = OBJECT_ID(N'unionsync_conflicts'))
    CREATE INDEX ix_unionsync_conflicts_state ON unionsync_conflicts (state);
GO

-- Triggers: set-based over inserted/deleted, one statement each whatever the row count. They stand aside while the
-- engine applies a peer's batch (SESSION_CONTEXT N'unionsync.applying' = 1); the engine then writes tracking itself.
-- A local write: a new local version, origin = this node, base kept, source peer none. An update of a table in
-- unionsync_base_capture (checked once per statement) first keeps the rows' agreed values: the rows of deleted go into
-- the table's base rows, except where one is kept already (the row changed here before, since it was last agreed);
-- inserts and deletes keep none.
CREATE OR ALTER TRIGGER unionsync_organizations_insert ON organizations AFTER INSERT AS
BEGIN
    SET NOCOUNT ON;
    IF CONVERT(int, SESSION_CONTEXT(N'unionsync.applying')) = 1 OR NOT EXISTS (SELECT 1 FROM inserted)
        RETURN;
    DECLARE @node_no int, @hlc bigint;
    SELECT @node_no = node_no, @hlc = GREATEST((DATEDIFF_BIG(millisecond, '19700101', SYSUTCDATETIME()) + clock_offset_ms) * 65536, hlc_floor + 1)
    FROM unionsync_node;
    UPDATE t SET version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536), origin_node_no = @node_no,
        origin_version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536),
        source_peer_no = NULL, deleted = 0, scope_org = NULL
    FROM unionsync_tracking AS t JOIN inserted AS i ON t.tbl = 1 AND t.id = i.id;
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 1, i.id, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), @node_no, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), NULL, 0, NULL
    FROM inserted AS i
    WHERE NOT EXISTS (SELECT 1 FROM unionsync_tracking AS t WHERE t.tbl = 1 AND t.id = i.id);
END;
GO

CREATE OR ALTER TRIGGER unionsync_organizations_update ON organizations AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    IF CONVERT(int, SESSION_CONTEXT(N'unionsync.applying')) = 1 OR NOT EXISTS (SELECT 1 FROM inserted)
        RETURN;
    IF EXISTS (SELECT 1 FROM unionsync_base_capture WHERE tbl = 1)
        INSERT INTO unionsync_base_organizations (id, parent_id, level, name, credit_code, district_code, status, created_at, updated_at)
        SELECT d.id, d.parent_id, d.level, d.name, d.credit_code, d.district_code, d.status, d.created_at, d.updated_at
        FROM deleted AS d
        WHERE NOT EXISTS (SELECT 1 FROM unionsync_base_organizations AS b WHERE b.id = d.id);
    DECLARE @node_no int, @hlc bigint;
    SELECT @node_no = node_no, @hlc = GREATEST((DATEDIFF_BIG(millisecond, '19700101', SYSUTCDATETIME()) + clock_offset_ms) * 65536, hlc_floor + 1)
    FROM unionsync_node;
    INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)
    SELECT NEXT VALUE FOR unionsync_version_seq, 1, i.id, d.parent_id, i.parent_id
    FROM inserted AS i JOIN deleted AS d ON d.id = i.id
    WHERE d.parent_id <> i.parent_id OR (d.parent_id IS NULL AND i.parent_id IS NOT NULL) OR (d.parent_id IS NOT NULL AND i.parent_id IS NULL);
    UPDATE t SET version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536), origin_node_no = @node_no,
        origin_version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536),
        source_peer_no = NULL, deleted = 0, scope_org = NULL
    FROM unionsync_tracking AS t JOIN inserted AS i ON t.tbl = 1 AND t.id = i.id;
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 1, i.id, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), @node_no, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), NULL, 0, NULL
    FROM inserted AS i
    WHERE NOT EXISTS (SELECT 1 FROM unionsync_tracking AS t WHERE t.tbl = 1 AND t.id = i.id);
END;
GO

-- A delete: a tombstone whose scope_org is the organisation that placed the row in scopes (an organisation's parent).
CREATE OR ALTER TRIGGER unionsync_organizations_delete ON organizations AFTER DELETE AS
BEGIN
    SET NOCOUNT ON;
    IF CONVERT(int, SESSION_CONTEXT(N'unionsync.applying')) = 1 OR NOT EXISTS (SELECT 1 FROM deleted)
        RETURN;
    DECLARE @node_no int, @hlc bigint;
    SELECT @node_no = node_no, @hlc = GREATEST((DATEDIFF_BIG(millisecond, '19700101', SYSUTCDATETIME()) + clock_offset_ms) * 65536, hlc_floor + 1)
    FROM unionsync_node;
    UPDATE t SET version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536), origin_node_no = @node_no,
        origin_version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536),
        source_peer_no = NULL, deleted = 1, scope_org = d.parent_id
    FROM unionsync_tracking AS t JOIN deleted AS d ON t.tbl = 1 AND t.id = d.id;
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 1, d.id, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), @node_no, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), NULL, 1, d.parent_id
    FROM deleted AS d
    WHERE NOT EXISTS (SELECT 1 FROM unionsync_tracking AS t WHERE t.tbl = 1 AND t.id = d.id);
END;
GO

CREATE OR ALTER TRIGGER unionsync_members_insert ON members AFTER INSERT AS
BEGIN
    SET NOCOUNT ON;
    IF CONVERT(int, SESSION_CONTEXT(N'unionsync.applying')) = 1 OR NOT EXISTS (SELECT 1 FROM inserted)
        RETURN;
    DECLARE @node_no int, @hlc bigint;
    SELECT @node_no = node_no, @hlc = GREATEST((DATEDIFF_BIG(millisecond, '19700101', SYSUTCDATETIME()) + clock_offset_ms) * 65536, hlc_floor + 1)
    FROM unionsync_node;
    UPDATE t SET version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536), origin_node_no = @node_no,
        origin_version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536),
        source_peer_no = NULL, deleted = 0, scope_org = NULL
    FROM unionsync_tracking AS t JOIN inserted AS i ON t.tbl = 2 AND t.id = i.id;
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 2, i.id, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), @node_no, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), NULL, 0, NULL
    FROM inserted AS i
    WHERE NOT EXISTS (SELECT 1 FROM unionsync_tracking AS t WHERE t.tbl = 2 AND t.id = i.id);
END;
GO

CREATE OR ALTER TRIGGER unionsync_members_update ON members AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    IF CONVERT(int, SESSION_CONTEXT(N'unionsync.applying')) = 1 OR NOT EXISTS (SELECT 1 FROM inserted)
        RETURN;
    IF EXISTS (SELECT 1 FROM unionsync_base_capture WHERE tbl = 2)
        INSERT INTO unionsync_base_members (id, organization_id, name, id_number, phone, employer_code, join_date, status, migrant_worker,
            skill_level, created_at, updated_at)
        SELECT d.id, d.organization_id, d.name, d.id_number, d.phone, d.employer_code, d.join_date, d.status, d.migrant_worker,
            d.skill_level, d.created_at, d.updated_at
        FROM deleted AS d
        WHERE NOT EXISTS (SELECT 1 FROM unionsync_base_members AS b WHERE b.id = d.id);
    DECLARE @node_no int, @hlc bigint;
    SELECT @node_no = node_no, @hlc = GREATEST((DATEDIFF_BIG(millisecond, '19700101', SYSUTCDATETIME()) + clock_offset_ms) * 65536, hlc_floor + 1)
    FROM unionsync_node;
    INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)
    SELECT NEXT VALUE FOR unionsync_version_seq, 2, i.id, d.organization_id, i.organization_id
    FROM inserted AS i JOIN deleted AS d ON d.id = i.id
    WHERE d.organization_id <> i.organization_id;
    UPDATE t SET version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536), origin_node_no = @node_no,
        origin_version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536),
        source_peer_no = NULL, deleted = 0, scope_org = NULL
    FROM unionsync_tracking AS t JOIN inserted AS i ON t.tbl = 2 AND t.id = i.id;
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 2, i.id, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), @node_no, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), NULL, 0, NULL
    FROM inserted AS i
    WHERE NOT EXISTS (SELECT 1 FROM unionsync_tracking AS t WHERE t.tbl = 2 AND t.id = i.id);
END;
GO

CREATE OR ALTER TRIGGER unionsync_members_delete ON members AFTER DELETE AS
BEGIN
    SET NOCOUNT ON;
    IF CONVERT(int, SESSION_CONTEXT(N'unionsync.applying')) = 1 OR NOT EXISTS (SELECT 1 FROM deleted)
        RETURN;
    DECLARE @node_no int, @hlc bigint;
    SELECT @node_no = node_no, @hlc = GREATEST((DATEDIFF_BIG(millisecond, '19700101', SYSUTCDATETIME()) + clock_offset_ms) * 65536, hlc_floor + 1)
    FROM unionsync_node;
    UPDATE t SET version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536), origin_node_no = @node_no,
        origin_version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536),
        source_peer_no = NULL, deleted = 1, scope_org = d.organization_id
    FROM unionsync_tracking AS t JOIN deleted AS d ON t.tbl = 2 AND t.id = d.id;
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 2, d.id, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), @node_no, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), NULL, 1, d.organization_id
    FROM deleted AS d
    WHERE NOT EXISTS (SELECT 1 FROM unionsync_tracking AS t WHERE t.tbl = 2 AND t.id = d.id);
END;
GO

CREATE OR ALTER TRIGGER unionsync_service_cards_insert ON service_cards AFTER INSERT AS
BEGIN
    SET NOCOUNT ON;
    IF CONVERT(int, SESSION_CONTEXT(N'unionsync.applying')) = 1 OR NOT EXISTS (SELECT 1 FROM inserted)
        RETURN;
    DECLARE @node_no int, @hlc bigint;
    SELECT @node_no = node_no, @hlc = GREATEST((DATEDIFF_BIG(millisecond, '19700101', SYSUTCDATETIME()) + clock_offset_ms) * 65536, hlc_floor + 1)
    FROM unionsync_node;
    UPDATE t SET version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536), origin_node_no = @node_no,
        origin_version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536),
        source_peer_no = NULL, deleted = 0, scope_org = NULL
    FROM unionsync_tracking AS t JOIN inserted AS i ON t.tbl = 3 AND t.id = i.id;
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 3, i.id, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), @node_no, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), NULL, 0, NULL
    FROM inserted AS i
    WHERE NOT EXISTS (SELECT 1 FROM unionsync_tracking AS t WHERE t.tbl = 3 AND t.id = i.id);
END;
GO

-- A card moves when its member changes and the two members' organisations differ.
CREATE OR ALTER TRIGGER unionsync_service_cards_update ON service_cards AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    IF CONVERT(int, SESSION_CONTEXT(N'unionsync.applying')) = 1 OR NOT EXISTS (SELECT 1 FROM inserted)
        RETURN;
    IF EXISTS (SELECT 1 FROM unionsync_base_capture WHERE tbl = 3)
        INSERT INTO unionsync_base_service_cards (id, member_id, card_number, bank, issue_date, expiry_date, status, created_at, updated_at)
        SELECT d.id, d.member_id, d.card_number, d.bank, d.issue_date, d.expiry_date, d.status, d.created_at, d.updated_at
        FROM deleted AS d
        WHERE NOT EXISTS (SELECT 1 FROM unionsync_base_service_cards AS b WHERE b.id = d.id);
    DECLARE @node_no int, @hlc bigint;
    SELECT @node_no = node_no, @hlc = GREATEST((DATEDIFF_BIG(millisecond, '19700101', SYSUTCDATETIME()) + clock_offset_ms) * 65536, hlc_floor + 1)
    FROM unionsync_node;
    INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)
    SELECT NEXT VALUE FOR unionsync_version_seq, 3, i.id, om.organization_id, nm.organization_id
    FROM inserted AS i JOIN deleted AS d ON d.id = i.id
    LEFT JOIN members AS om ON om.id = d.member_id
    LEFT JOIN members AS nm ON nm.id = i.member_id
    WHERE d.member_id <> i.member_id
      AND (om.organization_id <> nm.organization_id OR (om.organization_id IS NULL AND nm.organization_id IS NOT NULL)
           OR (om.organization_id IS NOT NULL AND nm.organization_id IS NULL));
    UPDATE t SET version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536), origin_node_no = @node_no,
        origin_version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536),
        source_peer_no = NULL, deleted = 0, scope_org = NULL
    FROM unionsync_tracking AS t JOIN inserted AS i ON t.tbl = 3 AND t.id = i.id;
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 3, i.id, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), @node_no, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), NULL, 0, NULL
    FROM inserted AS i
    WHERE NOT EXISTS (SELECT 1 FROM unionsync_tracking AS t WHERE t.tbl = 3 AND t.id = i.id);
END;
GO

-- A card's tombstone is placed by its member's organisation.
CREATE OR ALTER TRIGGER unionsync_service_cards_delete ON service_cards AFTER DELETE AS
BEGIN
    SET NOCOUNT ON;
    IF CONVERT(int, SESSION_CONTEXT(N'unionsync.applying')) = 1 OR NOT EXISTS (SELECT 1 FROM deleted)
        RETURN;
    DECLARE @node_no int, @hlc bigint;
    SELECT @node_no = node_no, @hlc = GREATEST((DATEDIFF_BIG(millisecond, '19700101', SYSUTCDATETIME()) + clock_offset_ms) * 65536, hlc_floor + 1)
    FROM unionsync_node;
    UPDATE t SET version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536), origin_node_no = @node_no,
        origin_version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536),
        source_peer_no = NULL, deleted = 1, scope_org = m.organization_id
    FROM unionsync_tracking AS t JOIN deleted AS d ON t.tbl = 3 AND t.id = d.id LEFT JOIN members AS m ON m.id = d.member_id;
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 3, d.id, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), @node_no, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), NULL, 1, m.organization_id
    FROM deleted AS d LEFT JOIN members AS m ON m.id = d.member_id
    WHERE NOT EXISTS (SELECT 1 FROM unionsync_tracking AS t WHERE t.tbl = 3 AND t.id = d.id);
END;
GO

-- Retention (docs/sync-engine.md §9). Marks map time to watermarks: at recorded_at this node's watermark
-- (MIN_ACTIVE_ROWVERSION() as bigint) was watermark; one is recorded each time the node serves a child a session. The
-- purge floor is the lowest received checkpoint a child may hold and still sync: tombstones and moves with a rowversion
-- below it may be gone. rv gives a reinitialise a rowversion above every watermark handed out before it.
IF OBJECT_ID(N'unionsync_watermark_marks', N'U') IS NULL
BEGIN
    CREATE TABLE unionsync_watermark_marks
    (
        recorded_at datetime2(6) NOT NULL,
        watermark   bigint       NOT NULL
    );
    CREATE INDEX ix_unionsync_watermark_marks_recorded_at ON unionsync_watermark_marks (recorded_at);
    CREATE INDEX ix_unionsync_watermark_marks_watermark ON unionsync_watermark_marks (watermark);
END;

IF OBJECT_ID(N'unionsync_retention', N'U') IS NULL
    CREATE TABLE unionsync_retention
    (
        id          int          NOT NULL CONSTRAINT pk_unionsync_retention PRIMARY KEY CONSTRAINT ck_unionsync_retention_id CHECK (id = 1),
        purge_floor bigint       NOT NULL,
        purged_at   datetime2(6) NULL,
        rv          rowversion   NOT NULL
    );

-- The row always exists: admissions (HOLDLOCK) and purges (UPDATE) serialise on it.
IF NOT EXISTS (SELECT 1 FROM unionsync_retention)
    INSERT INTO unionsync_retention (id, purge_floor, purged_at) VALUES (1, 0, NULL);
GO
