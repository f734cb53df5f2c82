-- Registry: reference data (districts, GB/T 4754 codes, the versioned 4+4+6 taxonomy, tag kinds), the full
-- enterprise profile with yearly figures, tags and pending changes, and versioned directories.

CREATE TABLE districts (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    sort INTEGER NOT NULL DEFAULT 0
);
INSERT INTO districts (code, name, sort) VALUES ('350203', '思明区', 1);
INSERT INTO districts (code, name, sort) VALUES ('350205', '海沧区', 2);
INSERT INTO districts (code, name, sort) VALUES ('350206', '湖里区', 3);
INSERT INTO districts (code, name, sort) VALUES ('350211', '集美区', 4);
INSERT INTO districts (code, name, sort) VALUES ('350212', '同安区', 5);
INSERT INTO districts (code, name, sort) VALUES ('350213', '翔安区', 6);

CREATE TABLE industry_codes (
    code TEXT PRIMARY KEY,
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    parent TEXT
);

CREATE TABLE taxonomy_446 (
    version TEXT NOT NULL,
    code TEXT NOT NULL,
    tier TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    lead_unit TEXT NOT NULL DEFAULT '',
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (version, code)
);

CREATE TABLE taxonomy_446_mapping (
    version TEXT NOT NULL,
    prefix TEXT NOT NULL,
    code TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (version, prefix)
);

CREATE TABLE tag_kinds (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    needs_chain INTEGER NOT NULL DEFAULT 0,
    sort INTEGER NOT NULL DEFAULT 0
);
INSERT INTO tag_kinds (code, name, sort) VALUES ('high_tech', '高新技术企业', 1);
INSERT INTO tag_kinds (code, name, sort) VALUES ('tech_sme', '科技型中小企业', 2);
INSERT INTO tag_kinds (code, name, sort) VALUES ('innovative_sme', '创新型中小企业', 3);
INSERT INTO tag_kinds (code, name, sort) VALUES ('specialized', '专精特新', 4);
INSERT INTO tag_kinds (code, name, sort) VALUES ('little_giant', '专精特新“小巨人”', 5);
INSERT INTO tag_kinds (code, name, sort) VALUES ('listed', '上市', 6);
INSERT INTO tag_kinds (code, name, sort) VALUES ('neeq', '新三板', 7);
INSERT INTO tag_kinds (code, name, sort) VALUES ('leading', '龙头企业', 8);
INSERT INTO tag_kinds (code, name, needs_chain, sort) VALUES ('chain_leader', '链主企业', 1, 9);
INSERT INTO tag_kinds (code, name, needs_chain, sort) VALUES ('chain_member', '链上企业', 1, 10);

ALTER TABLE enterprises ADD COLUMN name_normalized TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN uscc_valid INTEGER NOT NULL DEFAULT 1;
ALTER TABLE enterprises ADD COLUMN uscc_problem TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN legal_rep_cipher TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN legal_rep_masked TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN registered_capital_fen BIGINT;
ALTER TABLE enterprises ADD COLUMN founded_on TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN contact_person TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN size_class TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN size_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN size_year INTEGER;
ALTER TABLE enterprises ADD COLUMN industry_446_source TEXT NOT NULL DEFAULT 'mapping';
ALTER TABLE enterprises ADD COLUMN industry_446_note TEXT NOT NULL DEFAULT '';
CREATE INDEX enterprises_district ON enterprises(district);
CREATE INDEX enterprises_industry ON enterprises(industry_code);
CREATE INDEX enterprises_446 ON enterprises(industry_446);
CREATE INDEX enterprises_size ON enterprises(size_class);

ALTER TABLE institutions ADD COLUMN name_normalized TEXT NOT NULL DEFAULT '';
ALTER TABLE institutions ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE institutions ADD COLUMN address TEXT NOT NULL DEFAULT '';

CREATE TABLE enterprise_figures (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    year INTEGER NOT NULL,
    employees BIGINT,
    revenue_fen BIGINT,
    assets_fen BIGINT,
    liabilities_fen BIGINT,
    rd_spend_fen BIGINT,
    rd_staff BIGINT,
    value_added_fen BIGINT,
    invention_patents BIGINT,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (enterprise_id, year)
);

CREATE TABLE enterprise_tags (
    {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    tag TEXT NOT NULL REFERENCES tag_kinds(code),
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    chain TEXT NOT NULL DEFAULT '',
    chain_node TEXT NOT NULL DEFAULT '',
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_by BIGINT,
    revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enterprise_tags_enterprise ON enterprise_tags(enterprise_id);
CREATE INDEX enterprise_tags_tag ON enterprise_tags(tag);

-- Maker–checker: an enterprise's proposed change to verified fields waits here for an officer.
CREATE TABLE pending_changes (
    {{id}},
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    maker_id BIGINT NOT NULL,
    made_at BIGINT NOT NULL,
    checker_id BIGINT,
    checked_at BIGINT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pending_changes_entity ON pending_changes(entity, entity_id, status);

CREATE TABLE projects (
    {{id}},
    name TEXT NOT NULL,
    enterprise_id BIGINT REFERENCES enterprises(id),
    investment_fen BIGINT,
    financing_need_fen BIGINT,
    stage TEXT NOT NULL DEFAULT '',
    district TEXT NOT NULL DEFAULT '',
    industry_446 TEXT NOT NULL DEFAULT '',
    green_category TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE directories (
    {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    member_kind TEXT NOT NULL,
    layers TEXT NOT NULL DEFAULT '',
    chain TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- One row per stay in a directory: [effective_from, effective_to) with the entry's and the exit's reason,
-- evidence and approver. A layer change closes one stay and opens another on the same date.
CREATE TABLE directory_entries (
    {{id}},
    directory_id BIGINT NOT NULL REFERENCES directories(id),
    enterprise_id BIGINT REFERENCES enterprises(id),
    project_id BIGINT REFERENCES projects(id),
    layer TEXT NOT NULL DEFAULT '',
    effective_from TEXT NOT NULL,
    effective_to TEXT,
    entry_reason TEXT NOT NULL,
    entry_evidence TEXT NOT NULL DEFAULT '',
    entry_approved_by BIGINT NOT NULL,
    exit_reason TEXT NOT NULL DEFAULT '',
    exit_evidence TEXT NOT NULL DEFAULT '',
    exit_approved_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX directory_entries_dir ON directory_entries(directory_id, effective_from);
CREATE INDEX directory_entries_enterprise ON directory_entries(enterprise_id);

CREATE TABLE directory_subscriptions (
    directory_id BIGINT NOT NULL REFERENCES directories(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    subscribed_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    PRIMARY KEY (directory_id, user_id)
);

INSERT INTO directories (code, name, member_kind, description, created_at, updated_at) VALUES ('white_list', '重点企业白名单', 'enterprise', '金融支持重点企业白名单', 0, 0);
INSERT INTO directories (code, name, member_kind, description, created_at, updated_at) VALUES ('tech_pilot', '科技产业金融一体化专项试点名录', 'enterprise', '科技产业金融一体化专项试点企业', 0, 0);
INSERT INTO directories (code, name, member_kind, description, created_at, updated_at) VALUES ('green_enterprise', '绿色融资企业库', 'enterprise', '绿色融资企业库', 0, 0);
INSERT INTO directories (code, name, member_kind, description, created_at, updated_at) VALUES ('green_project', '绿色融资项目库', 'project', '绿色融资项目库', 0, 0);
INSERT INTO directories (code, name, member_kind, layers, description, created_at, updated_at) VALUES ('listing_reserve', '拟上市挂牌企业后备资源库', 'enterprise', 'base,cultivation', '基础层与培育层', 0, 0);
INSERT INTO directories (code, name, member_kind, description, created_at, updated_at) VALUES ('key_projects', '重点项目', 'project', '重点项目（投资额、融资需求、阶段）', 0, 0);
INSERT INTO directories (code, name, member_kind, chain, description, created_at, updated_at) VALUES ('chain_display', '平板显示产业链中小企业名单', 'enterprise', '平板显示', '一链一策一批', 0, 0);
INSERT INTO directories (code, name, member_kind, chain, description, created_at, updated_at) VALUES ('chain_battery', '新能源电池产业链中小企业名单', 'enterprise', '锂离子电池与储能', '一链一策一批', 0, 0);
INSERT INTO directories (code, name, member_kind, chain, description, created_at, updated_at) VALUES ('chain_biomed', '生物医药产业链中小企业名单', 'enterprise', '生物医药', '一链一策一批', 0, 0);

-- Substring search over normalised names: FTS5 trigram on SQLite (queries of three characters and more;
-- shorter ones fall back to LIKE), pg_trgm on PostgreSQL.
-- dialect: sqlite
CREATE VIRTUAL TABLE enterprise_search USING fts5(name_normalized, content='enterprises', content_rowid='id', tokenize='trigram');
CREATE TRIGGER enterprises_search_insert AFTER INSERT ON enterprises
BEGIN
    INSERT INTO enterprise_search (rowid, name_normalized) VALUES (new.id, new.name_normalized);
END;
CREATE TRIGGER enterprises_search_delete AFTER DELETE ON enterprises
BEGIN
    INSERT INTO enterprise_search (enterprise_search, rowid, name_normalized) VALUES ('delete', old.id, old.name_normalized);
END;
CREATE TRIGGER enterprises_search_update AFTER UPDATE OF name_normalized ON enterprises
BEGIN
    INSERT INTO enterprise_search (enterprise_search, rowid, name_normalized) VALUES ('delete', old.id, old.name_normalized);
    INSERT INTO enterprise_search (rowid, name_normalized) VALUES (new.id, new.name_normalized);
END;
INSERT INTO enterprise_search (enterprise_search) VALUES ('rebuild');

-- dialect: postgres
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX enterprises_name_trgm ON enterprises USING gin (name_normalized gin_trgm_ops);

-- dialect: all
-- Default permissions already granted to built-in roles, so an administrator's later removal sticks and a
-- permission added to a built-in role in a new release is granted exactly once.
CREATE TABLE builtin_grants (
    role_code TEXT NOT NULL,
    permission TEXT NOT NULL,
    PRIMARY KEY (role_code, permission)
);
INSERT INTO builtin_grants (role_code, permission) SELECT r.code, rp.permission FROM roles r JOIN role_permissions rp ON rp.role_id = r.id WHERE r.built_in = 1;

-- One row per import run, with its counts and problem report (problems capped; counts exact).
CREATE TABLE imports (
    {{id}},
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    user_id BIGINT,
    user_name TEXT NOT NULL,
    dry_run INTEGER NOT NULL,
    strict INTEGER NOT NULL,
    applied INTEGER NOT NULL,
    total_rows BIGINT NOT NULL,
    created BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    rejected_rows BIGINT NOT NULL,
    flagged_rows BIGINT NOT NULL,
    problems TEXT NOT NULL,
    at BIGINT NOT NULL
);
