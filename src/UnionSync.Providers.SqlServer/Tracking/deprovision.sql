-- Removes change tracking (docs/sync-engine.md §3): the triggers, the version sequence and every unionsync_ sync table.
-- The data tables and unionsync_schema_version (the schema migrator's) stay. Run in one transaction holding the
-- application lock 'unionsync_tracking_provision'.

DROP TRIGGER IF EXISTS unionsync_organizations_insert, unionsync_organizations_update, unionsync_organizations_delete,
    unionsync_members_insert, unionsync_members_update, unionsync_members_delete,
    unionsync_service_cards_insert, unionsync_service_cards_update, unionsync_service_cards_delete;

DROP TABLE IF EXISTS unionsync_tracking, unionsync_moves, unionsync_peers, unionsync_applied_batches, unionsync_sessions,
    unionsync_conflicts, unionsync_policies, unionsync_policy_fallbacks, unionsync_column_owners, unionsync_peer_columns,
    unionsync_base_organizations, unionsync_base_members, unionsync_base_service_cards, unionsync_base_capture, unionsync_node,
    unionsync_nodes;

DROP SEQUENCE IF EXISTS unionsync_version_seq;
GO

DROP TABLE IF EXISTS unionsync_watermark_marks, unionsync_retention;
GO
