-- Change tracking for SQLite (docs/sync-engine.md §2-3). Run by SqliteChangeTracker.ProvisionAsync; every statement is
-- idempotent. Parameters: @node_id, this node's id, used only when the node row does not exist yet; @schema_version,
-- SyncMetadataVersion.Current. A node provisioned by an older version is upgraded in place: SqliteChangeTracker adds the
-- missing node columns before this script runs, the triggers are dropped and created again, schema_version is raised.
-- Nothing here writes per existing data row: rows never changed since provisioning have no tracking row.
-- Local writes are appended to unionsync_changes by the row triggers (one cheap append per row: the key, the wall clock,
-- and for a delete its tombstone's scope) and folded into unionsync_tracking by SqliteChangeLog, inside a write
-- transaction, before anything reads tracking: at the start of every apply transaction and before a snapshot is taken.
-- The fold hands out the same versions the triggers would have, in append order. Local version (= origin_version of a
-- local write) is a hybrid logical clock value:
--   max(max(unionsync_tracking.version) + 1, version_floor + 1, (wall_ms + clock_offset_ms) << 16)
-- so it is at least the wall clock (of the write, kept in the log) in milliseconds shifted left 16 bits, above every version
-- handed out here (strictly increasing, so two versions of a row never share an identity, and the watermark stays
-- monotonic), and above version_floor. version_floor is raised by whoever deletes tracking rows (local removal, tombstone
-- purge), so a version never goes backwards, and by the apply transaction to the largest origin_version it received (the
-- HLC receive rule): the log is folded at the start of that transaction, so a write made here after receiving a version
-- is larger than it whatever this node's clock says.
-- wall_ms is julianday('now') as Unix milliseconds (unixepoch('subsec') needs SQLite 3.42); 'now' is fixed for one
-- statement, so a bulk statement's rows share one value. clock_offset_ms (default 0) is added to it at the fold, as it
-- stood when the row was written (unionsync_node_clock_offset): set it to simulate a node whose clock is wrong in tests,
-- or to correct a node whose OS clock cannot be fixed.
-- node_no 1 in unionsync_nodes is always this node. tbl: 1 organizations, 2 members, 3 service_cards.
-- Triggers per data table: _ai (insert), _au (update), _ad (delete: tombstone with scope_org) and _ak (a key change
-- deletes the old key) append to the log and read nothing else (a trigger's cost is paid by every writer's statement);
-- _mv (an update that changes the scope column: rare) tracks the row at once and logs the move. Base rows (§11) are
-- kept by a _bc trigger that exists only while the table is captured (SqliteBaseCapture). The engine's own writes are
-- not local changes: _mv and _bc stand aside while unionsync_apply_guard holds a row, and what the others append
-- meanwhile is deleted by the guard's holder before it commits (see the table).
-- SQLite allows no CTE inside a trigger, hence the derived table v for the next version.

CREATE TABLE IF NOT EXISTS unionsync_node (
    id              INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    node_id         TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    version_floor   INTEGER NOT NULL DEFAULT 0,
    clock_offset_ms INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO unionsync_node (id, node_id, schema_version, version_floor)
SELECT 1, @node_id, @schema_version, 0 WHERE NOT EXISTS (SELECT 1 FROM unionsync_node);

CREATE TABLE IF NOT EXISTS unionsync_nodes (
    node_no INTEGER NOT NULL PRIMARY KEY,
    node_id TEXT    NOT NULL UNIQUE
) STRICT;

INSERT OR IGNORE INTO unionsync_nodes (node_no, node_id) SELECT 1, node_id FROM unionsync_node;

CREATE TABLE IF NOT EXISTS unionsync_tracking (
    tbl            INTEGER NOT NULL,
    id             TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    origin_node_no INTEGER NOT NULL,
    origin_version INTEGER NOT NULL,
    base_node_no   INTEGER NULL,
    base_version   INTEGER NULL,
    source_peer_no INTEGER NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    scope_org      TEXT    NULL,
    PRIMARY KEY (tbl, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_unionsync_tracking_version ON unionsync_tracking (version);

-- Local writes not folded into unionsync_tracking yet, in append order (seq). wall_ms is the write's wall clock without
-- clock_offset_ms, which the fold adds: the triggers then read nothing but the row they fire for.
CREATE TABLE IF NOT EXISTS unionsync_changes (
    seq       INTEGER NOT NULL PRIMARY KEY,
    tbl       INTEGER NOT NULL,
    id        TEXT    NOT NULL,
    wall_ms   INTEGER NOT NULL,
    deleted   INTEGER NOT NULL,
    scope_org TEXT    NULL
) STRICT;

-- Up to metadata version 6 the triggers added the offset themselves: a node upgraded with writes pending takes it out.
UPDATE unionsync_changes SET wall_ms = wall_ms - (SELECT clock_offset_ms FROM unionsync_node) WHERE (SELECT schema_version FROM unionsync_node) < 7;

-- A change of the offset shifts the pending writes by the difference, so that each is folded with the offset that held
-- when it was written (whoever changes it: a test, or a person correcting a node whose OS clock cannot be fixed).
DROP TRIGGER IF EXISTS unionsync_node_clock_offset;
CREATE TRIGGER unionsync_node_clock_offset AFTER UPDATE OF clock_offset_ms ON unionsync_node
WHEN OLD.clock_offset_ms IS NOT NEW.clock_offset_ms
BEGIN
    UPDATE unionsync_changes SET wall_ms = wall_ms + OLD.clock_offset_ms - NEW.clock_offset_ms;
END;

CREATE TABLE IF NOT EXISTS unionsync_moves (
    seq      INTEGER NOT NULL PRIMARY KEY,
    version  INTEGER NOT NULL,
    tbl      INTEGER NOT NULL,
    id       TEXT    NOT NULL,
    from_org TEXT    NULL,
    to_org   TEXT    NULL
) STRICT;

CREATE INDEX IF NOT EXISTS ix_unionsync_moves_version ON unionsync_moves (version);
CREATE INDEX IF NOT EXISTS ix_unionsync_moves_key ON unionsync_moves (tbl, id, version);

CREATE TABLE IF NOT EXISTS unionsync_peers (
    peer_id            TEXT    NOT NULL PRIMARY KEY,
    role               TEXT    NOT NULL CHECK (role IN ('parent', 'child')),
    scope_org          TEXT    NOT NULL,
    sent_watermark     INTEGER NOT NULL,
    received_watermark INTEGER NOT NULL,
    protocol_version   INTEGER NOT NULL,
    first_sync_at      TEXT    NOT NULL,
    last_sync_at       TEXT    NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS unionsync_applied_batches (
    session_id TEXT    NOT NULL,
    direction  TEXT    NOT NULL,
    batch_no   INTEGER NOT NULL,
    PRIMARY KEY (session_id, direction, batch_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS unionsync_sessions (
    session_id       TEXT    NOT NULL PRIMARY KEY,
    peer_id          TEXT    NOT NULL,
    phase            TEXT    NOT NULL,
    watermark_target INTEGER NULL,
    next_batch       INTEGER NOT NULL DEFAULT 0,
    updated_at       TEXT    NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS unionsync_conflicts (
    id                    INTEGER NOT NULL PRIMARY KEY,
    tbl                   TEXT    NOT NULL,
    row_id                TEXT    NOT NULL,
    kind                  TEXT    NOT NULL,
    parent_version        TEXT    NULL,
    child_version         TEXT    NULL,
    parent_origin_node    TEXT    NULL,
    parent_origin_version INTEGER NULL,
    child_origin_node     TEXT    NULL,
    child_origin_version  INTEGER NULL,
    parent_node           TEXT    NOT NULL,
    child_node            TEXT    NOT NULL,
    policy                TEXT    NOT NULL,
    outcome               TEXT    NOT NULL,
    state                 TEXT    NOT NULL,
    detected_at           TEXT    NOT NULL,
    resolved_at           TEXT    NULL
) STRICT;

-- Conflict policy per table, kept at the parent: every process syncing with this node as its parent applies the same.
CREATE TABLE IF NOT EXISTS unionsync_policies (
    tbl        TEXT NOT NULL PRIMARY KEY,
    policy     TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- The added columns (table.column, docs/sync-engine.md §10) this node, as a parent, has backfilled at each child.
CREATE TABLE IF NOT EXISTS unionsync_peer_columns (
    peer_id          TEXT NOT NULL,
    qualified_column TEXT NOT NULL,
    PRIMARY KEY (peer_id, qualified_column)
) STRICT, WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_unionsync_conflicts_state ON unionsync_conflicts (state);

-- Base rows (docs/sync-engine.md §11): a row as this node last agreed it with its parent, kept from its first change here
-- since then (the update triggers below, and an apply from a child) until the parent's next version of it arrives. The
-- parent's three-way merge (merge-columns, field-authority) compares both sides with it. Contract columns only.
-- The tables whose base rows this node keeps: those its parent merges by columns (set by the engine at each session).
CREATE TABLE IF NOT EXISTS unionsync_base_capture (
    tbl INTEGER NOT NULL PRIMARY KEY
) STRICT;

CREATE TABLE IF NOT EXISTS unionsync_base_organizations (
    id            TEXT NOT NULL PRIMARY KEY,
    parent_id     TEXT NULL,
    level         INTEGER NULL,
    name          TEXT NULL,
    credit_code   TEXT NULL,
    district_code TEXT NULL,
    status        TEXT NULL,
    created_at    TEXT NULL,
    updated_at    TEXT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS unionsync_base_members (
    id              TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NULL,
    name            TEXT NULL,
    id_number       TEXT NULL,
    phone           TEXT NULL,
    employer_code   TEXT NULL,
    join_date       TEXT NULL,
    status          TEXT NULL,
    migrant_worker  INTEGER NULL,
    skill_level     INTEGER NULL,
    created_at      TEXT NULL,
    updated_at      TEXT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS unionsync_base_service_cards (
    id          TEXT NOT NULL PRIMARY KEY,
    member_id   TEXT NULL,
    card_number TEXT NULL,
    bank        TEXT NULL,
    issue_date  TEXT NULL,
    expiry_date TEXT NULL,
    status      TEXT NULL,
    created_at  TEXT NULL,
    updated_at  TEXT NULL
) STRICT, WITHOUT ROWID;

-- Conflict policy options, kept at the parent beside unionsync_policies: the policy that decides a column both sides
-- changed under merge-columns and field-authority, and the owner of a column under field-authority.
CREATE TABLE IF NOT EXISTS unionsync_policy_fallbacks (
    tbl        TEXT NOT NULL PRIMARY KEY,
    fallback   TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS unionsync_column_owners (
    tbl        TEXT NOT NULL,
    col        TEXT NOT NULL,
    owner      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tbl, col)
) STRICT;

-- Held by the engine's own write transactions (SqliteApplySql.InsertGuard, after BEGIN IMMEDIATE; DeleteGuard, before
-- COMMIT, so no other connection ever sees a row). id is the last seq of unionsync_changes when it was taken: the append
-- triggers do not look at the guard (a probe per row), so the holder deletes the log rows above it, which only its own
-- writes can have appended. The _mv and _bc triggers, which write tracking and base rows at once, stand aside instead.
CREATE TABLE IF NOT EXISTS unionsync_apply_guard (
    id INTEGER NOT NULL PRIMARY KEY
) STRICT;

DROP TRIGGER IF EXISTS unionsync_organizations_ai;
CREATE TRIGGER unionsync_organizations_ai AFTER INSERT ON organizations
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (1, NEW.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 0, NULL);
END;

DROP TRIGGER IF EXISTS unionsync_organizations_au;
CREATE TRIGGER unionsync_organizations_au AFTER UPDATE ON organizations
WHEN OLD.parent_id IS NEW.parent_id
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (1, NEW.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 0, NULL);
END;

-- A change of parent_id moves the row between scopes: this trigger, fired only by statements that set parent_id, tracks the
-- row at once (the move needs its version) and logs the move; the plain update trigger above stands aside for that row, so
-- the row's version is the move's, as a last-writer-wins comparison expects.
DROP TRIGGER IF EXISTS unionsync_organizations_mv;
CREATE TRIGGER unionsync_organizations_mv AFTER UPDATE OF parent_id ON organizations
WHEN OLD.parent_id IS NOT NEW.parent_id AND NOT EXISTS (SELECT 1 FROM unionsync_apply_guard)
BEGIN
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 1, NEW.id, v.n, 1, v.n, NULL, 0, NULL FROM (SELECT max(coalesce((SELECT max(version) FROM unionsync_tracking), 0) + 1, version_floor + 1, (CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + clock_offset_ms) << 16) AS n FROM unionsync_node) AS v WHERE true
    ON CONFLICT (tbl, id) DO UPDATE SET version = excluded.version, origin_node_no = 1, origin_version = excluded.origin_version,
        source_peer_no = NULL, deleted = excluded.deleted, scope_org = excluded.scope_org;
    INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)
    SELECT t.version, 1, NEW.id, OLD.parent_id, NEW.parent_id FROM unionsync_tracking AS t WHERE t.tbl = 1 AND t.id = NEW.id;
END;

DROP TRIGGER IF EXISTS unionsync_organizations_ad;
CREATE TRIGGER unionsync_organizations_ad AFTER DELETE ON organizations
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (1, OLD.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 1, OLD.parent_id);
END;

-- A statement that changes the key deletes the old key: its tombstone, as a delete would leave.
DROP TRIGGER IF EXISTS unionsync_organizations_ak;
CREATE TRIGGER unionsync_organizations_ak AFTER UPDATE OF id ON organizations
WHEN OLD.id IS NOT NEW.id
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (1, OLD.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 1, OLD.parent_id);
END;

DROP TRIGGER IF EXISTS unionsync_members_ai;
CREATE TRIGGER unionsync_members_ai AFTER INSERT ON members
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (2, NEW.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 0, NULL);
END;

DROP TRIGGER IF EXISTS unionsync_members_au;
CREATE TRIGGER unionsync_members_au AFTER UPDATE ON members
WHEN OLD.organization_id IS NEW.organization_id
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (2, NEW.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 0, NULL);
END;

-- A change of organization_id moves the row between scopes: this trigger, fired only by statements that set organization_id, tracks the
-- row at once (the move needs its version) and logs the move; the plain update trigger above stands aside for that row, so
-- the row's version is the move's, as a last-writer-wins comparison expects.
DROP TRIGGER IF EXISTS unionsync_members_mv;
CREATE TRIGGER unionsync_members_mv AFTER UPDATE OF organization_id ON members
WHEN OLD.organization_id IS NOT NEW.organization_id AND NOT EXISTS (SELECT 1 FROM unionsync_apply_guard)
BEGIN
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 2, NEW.id, v.n, 1, v.n, NULL, 0, NULL FROM (SELECT max(coalesce((SELECT max(version) FROM unionsync_tracking), 0) + 1, version_floor + 1, (CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + clock_offset_ms) << 16) AS n FROM unionsync_node) AS v WHERE true
    ON CONFLICT (tbl, id) DO UPDATE SET version = excluded.version, origin_node_no = 1, origin_version = excluded.origin_version,
        source_peer_no = NULL, deleted = excluded.deleted, scope_org = excluded.scope_org;
    INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)
    SELECT t.version, 2, NEW.id, OLD.organization_id, NEW.organization_id FROM unionsync_tracking AS t WHERE t.tbl = 2 AND t.id = NEW.id;
END;

DROP TRIGGER IF EXISTS unionsync_members_ad;
CREATE TRIGGER unionsync_members_ad AFTER DELETE ON members
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (2, OLD.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 1, OLD.organization_id);
END;

-- A statement that changes the key deletes the old key: its tombstone, as a delete would leave.
DROP TRIGGER IF EXISTS unionsync_members_ak;
CREATE TRIGGER unionsync_members_ak AFTER UPDATE OF id ON members
WHEN OLD.id IS NOT NEW.id
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (2, OLD.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 1, OLD.organization_id);
END;

DROP TRIGGER IF EXISTS unionsync_service_cards_ai;
CREATE TRIGGER unionsync_service_cards_ai AFTER INSERT ON service_cards
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (3, NEW.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 0, NULL);
END;

DROP TRIGGER IF EXISTS unionsync_service_cards_au;
CREATE TRIGGER unionsync_service_cards_au AFTER UPDATE ON service_cards
WHEN OLD.member_id IS NEW.member_id
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (3, NEW.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 0, NULL);
END;

-- A change of member_id moves the row between scopes: this trigger, fired only by statements that set member_id, tracks the
-- row at once (the move needs its version) and logs the move; the plain update trigger above stands aside for that row, so
-- the row's version is the move's, as a last-writer-wins comparison expects.
DROP TRIGGER IF EXISTS unionsync_service_cards_mv;
CREATE TRIGGER unionsync_service_cards_mv AFTER UPDATE OF member_id ON service_cards
WHEN OLD.member_id IS NOT NEW.member_id AND NOT EXISTS (SELECT 1 FROM unionsync_apply_guard)
BEGIN
    INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
    SELECT 3, NEW.id, v.n, 1, v.n, NULL, 0, NULL FROM (SELECT max(coalesce((SELECT max(version) FROM unionsync_tracking), 0) + 1, version_floor + 1, (CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + clock_offset_ms) << 16) AS n FROM unionsync_node) AS v WHERE true
    ON CONFLICT (tbl, id) DO UPDATE SET version = excluded.version, origin_node_no = 1, origin_version = excluded.origin_version,
        source_peer_no = NULL, deleted = excluded.deleted, scope_org = excluded.scope_org;
    INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)
    SELECT t.version, 3, NEW.id, (SELECT m.organization_id FROM members AS m WHERE m.id = OLD.member_id), (SELECT m.organization_id FROM members AS m WHERE m.id = NEW.member_id) FROM unionsync_tracking AS t WHERE t.tbl = 3 AND t.id = NEW.id;
END;

DROP TRIGGER IF EXISTS unionsync_service_cards_ad;
CREATE TRIGGER unionsync_service_cards_ad AFTER DELETE ON service_cards
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (3, OLD.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 1, (SELECT m.organization_id FROM members AS m WHERE m.id = OLD.member_id));
END;

-- A statement that changes the key deletes the old key: its tombstone, as a delete would leave.
DROP TRIGGER IF EXISTS unionsync_service_cards_ak;
CREATE TRIGGER unionsync_service_cards_ak AFTER UPDATE OF id ON service_cards
WHEN OLD.id IS NOT NEW.id
BEGIN
    INSERT INTO unionsync_changes (tbl, id, wall_ms, deleted, scope_org) VALUES (3, OLD.id, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER), 1, (SELECT m.organization_id FROM members AS m WHERE m.id = NEW.member_id));
END;

-- Retention (docs/sync-engine.md §9). Marks map time to watermarks: at recorded_at (Unix milliseconds) this node's
-- version counter stood at watermark; one is recorded each time the node serves a child a session. The purge floor is
-- the lowest received checkpoint a child may hold and still sync: tombstones and moves with a version up to it may be gone.
CREATE TABLE IF NOT EXISTS unionsync_watermark_marks (
    recorded_at INTEGER NOT NULL,
    watermark   INTEGER NOT NULL
) STRICT;

CREATE INDEX IF NOT EXISTS ix_unionsync_watermark_marks_recorded_at ON unionsync_watermark_marks (recorded_at);
CREATE INDEX IF NOT EXISTS ix_unionsync_watermark_marks_watermark ON unionsync_watermark_marks (watermark);

CREATE TABLE IF NOT EXISTS unionsync_retention (
    id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    purge_floor INTEGER NOT NULL,
    purged_at   TEXT    NULL
) STRICT;

-- The row always exists: admissions and purges serialise on it.
INSERT INTO unionsync_retention (id, purge_floor, purged_at) SELECT 1, 0, NULL WHERE NOT EXISTS (SELECT 1 FROM unionsync_retention);

-- Last: the upgrade steps above read the version the node had.
UPDATE unionsync_node SET schema_version = @schema_version WHERE schema_version < @schema_version;
