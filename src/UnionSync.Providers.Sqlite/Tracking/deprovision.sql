-- Removes every trace of change tracking (docs/sync-engine.md §3). unionsync_schema_version stays: it belongs to the
-- data-schema migrations. SqliteChangeTracker also drops any other unionsync_ table or trigger it finds.

DROP TRIGGER IF EXISTS unionsync_organizations_ai;
DROP TRIGGER IF EXISTS unionsync_organizations_au;
DROP TRIGGER IF EXISTS unionsync_organizations_ad;
DROP TRIGGER IF EXISTS unionsync_organizations_mv;
DROP TRIGGER IF EXISTS unionsync_organizations_ak;
DROP TRIGGER IF EXISTS unionsync_members_ai;
DROP TRIGGER IF EXISTS unionsync_members_au;
DROP TRIGGER IF EXISTS unionsync_members_ad;
DROP TRIGGER IF EXISTS unionsync_members_mv;
DROP TRIGGER IF EXISTS unionsync_members_ak;
DROP TRIGGER IF EXISTS unionsync_service_cards_ai;
DROP TRIGGER IF EXISTS unionsync_service_cards_au;
DROP TRIGGER IF EXISTS unionsync_service_cards_ad;
DROP TRIGGER IF EXISTS unionsync_service_cards_mv;
DROP TRIGGER IF EXISTS unionsync_service_cards_ak;
DROP TRIGGER IF EXISTS unionsync_organizations_bc;
DROP TRIGGER IF EXISTS unionsync_members_bc;
DROP TRIGGER IF EXISTS unionsync_service_cards_bc;
DROP TRIGGER IF EXISTS unionsync_node_clock_offset;

DROP TABLE IF EXISTS unionsync_apply_guard;
DROP TABLE IF EXISTS unionsync_conflicts;
DROP TABLE IF EXISTS unionsync_peer_columns;
DROP TABLE IF EXISTS unionsync_policies;
DROP TABLE IF EXISTS unionsync_policy_fallbacks;
DROP TABLE IF EXISTS unionsync_column_owners;
DROP TABLE IF EXISTS unionsync_base_capture;
DROP TABLE IF EXISTS unionsync_base_organizations;
DROP TABLE IF EXISTS unionsync_base_members;
DROP TABLE IF EXISTS unionsync_base_service_cards;
DROP TABLE IF EXISTS unionsync_sessions;
DROP TABLE IF EXISTS unionsync_applied_batches;
DROP TABLE IF EXISTS unionsync_peers;
DROP TABLE IF EXISTS unionsync_moves;
DROP TABLE IF EXISTS unionsync_tracking;
DROP TABLE IF EXISTS unionsync_changes;
DROP TABLE IF EXISTS unionsync_nodes;
DROP TABLE IF EXISTS unionsync_node;
DROP TABLE IF EXISTS unionsync_watermark_marks;
DROP TABLE IF EXISTS unionsync_retention;
