-- Foundation: departments, registry stubs, roles and users, sessions, login log, API keys, the audit chain,
-- idempotency keys. Times are epoch milliseconds (BIGINT); money is integer fen; booleans are INTEGER 0/1.
-- {{id}} becomes the dialect's auto-increment primary key. Sections switch with "-- dialect: …".

CREATE TABLE departments (
    {{id}},
    parent_id BIGINT REFERENCES departments(id),
    name TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    sort INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE institutions (
    {{id}},
    parent_id BIGINT REFERENCES institutions(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    uscc TEXT UNIQUE,
    district TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE enterprises (
    {{id}},
    uscc TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    district TEXT,
    industry_code TEXT,
    industry_446 TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE roles (
    {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    data_scope TEXT NOT NULL,
    built_in INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE role_permissions (
    role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
);

CREATE TABLE role_departments (
    role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    PRIMARY KEY (role_id, department_id)
);

CREATE TABLE users (
    {{id}},
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(id),
    enterprise_id BIGINT REFERENCES enterprises(id),
    institution_id BIGINT REFERENCES institutions(id),
    status TEXT NOT NULL DEFAULT 'active',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT,
    last_login_at BIGINT,
    password_changed_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_department ON users(department_id);
CREATE INDEX users_institution ON users(institution_id);
CREATE INDEX users_enterprise ON users(enterprise_id);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id BIGINT NOT NULL REFERENCES roles(id),
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role ON user_roles(role_id);

CREATE TABLE sessions (
    {{id}},
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE login_log (
    {{id}},
    at BIGINT NOT NULL,
    username TEXT NOT NULL,
    user_id BIGINT,
    success INTEGER NOT NULL,
    reason TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_log_at ON login_log(at);
CREATE INDEX login_log_username ON login_log(username);

CREATE TABLE api_keys (
    {{id}},
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    institution_id BIGINT REFERENCES institutions(id),
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT,
    last_used_at BIGINT
);

-- The command log. id is assigned under the chain head's lock, so it has no gaps; each row carries the hash
-- of the one before. No API updates or deletes it, and triggers refuse it at the database too.
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    before_state TEXT NOT NULL,
    after_state TEXT NOT NULL,
    result TEXT NOT NULL,
    request_id TEXT NOT NULL,
    ip TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log(actor_id);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    last_id BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE idempotency_keys (
    actor_id BIGINT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (actor_id, idem_key)
);

-- dialect: sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- dialect: postgres
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
