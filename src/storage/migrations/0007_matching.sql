-- The matching engine's models by version, every recommendation shown (with the snapshot that replays it),
-- batch allocations, and, on PostgreSQL, notifications that tell every instance its index is stale.

CREATE TABLE matching_models (
    version INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    report TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE match_recommendations (
    {{id}},
    at BIGINT NOT NULL,
    demand_id BIGINT NOT NULL REFERENCES demands(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    model_version INTEGER NOT NULL,
    viewer TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE INDEX match_recommendations_demand ON match_recommendations(demand_id, at);

-- Products as recommendations saw them, stored once per distinct state and referenced by hash from the
-- recommendations' snapshots (a snapshot would otherwise repeat every eligible product).
CREATE TABLE match_product_states (
    hash TEXT PRIMARY KEY,
    body TEXT NOT NULL
);

CREATE TABLE match_batches (
    {{id}},
    at BIGINT NOT NULL,
    scope TEXT NOT NULL,
    campaign_id BIGINT REFERENCES campaigns(id),
    model_version INTEGER NOT NULL,
    summary TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE match_batch_assignments (
    batch_id BIGINT NOT NULL REFERENCES match_batches(id),
    demand_id BIGINT NOT NULL REFERENCES demands(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    institution_id BIGINT NOT NULL REFERENCES institutions(id),
    expected_fen BIGINT NOT NULL,
    PRIMARY KEY (batch_id, demand_id)
);

-- dialect: postgres
CREATE FUNCTION chanrong_matching_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('chanrong_matching', TG_TABLE_NAME);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER products_matching_notify AFTER INSERT OR UPDATE OR DELETE ON products FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify();
CREATE TRIGGER demands_matching_notify AFTER INSERT OR UPDATE OR DELETE ON demands FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify();
CREATE TRIGGER enterprises_matching_notify AFTER INSERT OR UPDATE OR DELETE ON enterprises FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify();
CREATE TRIGGER credit_scores_matching_notify AFTER INSERT OR UPDATE ON credit_scores FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify();
CREATE TRIGGER directory_entries_matching_notify AFTER INSERT OR UPDATE ON directory_entries FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify();
CREATE TRIGGER enterprise_tags_matching_notify AFTER INSERT OR UPDATE ON enterprise_tags FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify();
CREATE TRIGGER applications_matching_notify AFTER INSERT OR UPDATE ON applications FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify();

-- dialect: all
-- The index catches up by these columns before every query.
CREATE INDEX products_updated ON products(updated_at);
CREATE INDEX demands_updated ON demands(updated_at);
CREATE INDEX enterprises_updated ON enterprises(updated_at);
CREATE INDEX directory_entries_updated ON directory_entries(updated_at);
CREATE INDEX enterprise_tags_created ON enterprise_tags(created_at);
CREATE INDEX applications_updated ON applications(updated_at);
-- An enterprise's current score in one seek (without it SQLite's planner scans every current score per row).
CREATE UNIQUE INDEX credit_scores_current_enterprise ON credit_scores(enterprise_id) WHERE is_current = 1;
