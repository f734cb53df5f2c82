-- Pilot targets (seeded from data/pilot-targets.csv, edited by administrators with history), figures reported by
-- responsible units with a second officer's confirmation, monthly snapshots, commentary for the annual report,
-- and bank–enterprise matchmaking events.

CREATE TABLE kpi_targets (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    indicator_id TEXT NOT NULL,
    area TEXT NOT NULL,
    comparator TEXT NOT NULL,
    target_value BIGINT NOT NULL,
    responsible_units TEXT NOT NULL,
    source_clause TEXT NOT NULL,
    commentary TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX kpi_targets_year ON kpi_targets(year);

CREATE TABLE kpi_target_history (
    {{id}},
    target_id TEXT NOT NULL REFERENCES kpi_targets(id),
    version INTEGER NOT NULL,
    comparator TEXT NOT NULL,
    target_value BIGINT NOT NULL,
    reason TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX kpi_target_history_target ON kpi_target_history(target_id);

-- A responsible unit's figure for a reported indicator as of a month-end; pending until a second officer
-- confirms it; a confirmed correction supersedes the figure it corrects, which stays.
CREATE TABLE kpi_reported (
    {{id}},
    indicator_id TEXT NOT NULL,
    period TEXT NOT NULL,
    as_of TEXT NOT NULL,
    value BIGINT NOT NULL,
    unit_name TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    corrects_id BIGINT REFERENCES kpi_reported(id),
    filed_by BIGINT,
    filed_by_name TEXT NOT NULL,
    filed_at BIGINT NOT NULL,
    decided_by BIGINT,
    decided_by_name TEXT NOT NULL DEFAULT '',
    decided_at BIGINT,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX kpi_reported_indicator ON kpi_reported(indicator_id, period, status);

CREATE TABLE kpi_snapshots (
    {{id}},
    period TEXT NOT NULL,
    as_of TEXT NOT NULL,
    taken_at BIGINT NOT NULL,
    trigger_kind TEXT NOT NULL,
    rows_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    taken_by TEXT NOT NULL
);
CREATE INDEX kpi_snapshots_period ON kpi_snapshots(period, taken_at);

-- Bank–enterprise matchmaking events (银企对接活动) and the financing they achieved.
CREATE TABLE matchmaking_events (
    {{id}},
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    organiser TEXT NOT NULL,
    district TEXT NOT NULL DEFAULT '',
    enterprises INTEGER NOT NULL DEFAULT 0,
    institutions INTEGER NOT NULL DEFAULT 0,
    financing_fen BIGINT NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX matchmaking_events_held ON matchmaking_events(held_on);
