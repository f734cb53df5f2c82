-- Enterprise credit profile: record types as reference data, records shared by the city's departments,
-- loads with their quality reports, scorecard models by version, scores with their inputs, white-list
-- candidates, and loan outcomes for monitoring the score.

CREATE TABLE credit_record_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source_department TEXT NOT NULL,
    value_kind TEXT NOT NULL,
    allowed_values TEXT NOT NULL DEFAULT '',
    counts_months INTEGER NOT NULL,
    red_flag INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('tax_grade', '纳税信用等级', '国家税务总局厦门市税务局', 'grade', 'A,B,M,C,D', 24, 0, '年度纳税信用评价结果，发生日期为评价年度的 12 月 31 日', 1);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('tax_paid', '年度纳税额', '国家税务总局厦门市税务局', 'amount', '', 24, 0, '全年实缴税额（元）', 2);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('social_insurance', '社保参保人数', '厦门市人力资源和社会保障局', 'count', '', 12, 0, '月末参保人数', 3);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('social_insurance_arrears', '社保欠缴', '厦门市人力资源和社会保障局', 'amount', '', 36, 0, '欠缴金额（元）；补缴后状态为 closed', 4);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('housing_fund', '公积金缴存人数', '厦门市住房公积金中心', 'count', '', 12, 0, '月末缴存人数', 5);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('housing_fund_arrears', '公积金欠缴', '厦门市住房公积金中心', 'amount', '', 36, 0, '欠缴金额（元）', 6);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('utility_payment', '水电缴费', '厦门水务集团；国网厦门供电公司', 'count', '', 12, 0, '按时缴费月数', 7);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('utility_arrears', '水电欠费', '厦门水务集团；国网厦门供电公司', 'amount', '', 24, 0, '欠费金额（元）', 8);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('court_judgment', '被告裁判文书', '厦门市中级人民法院', 'amount', '', 60, 0, '企业作为被告的判决，金额为判决金额（元）；结案后状态为 closed', 9);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('dishonest_debtor', '失信被执行人', '厦门市中级人民法院', 'flag', '', 0, 1, '列入期间封顶信用等级；移出后状态为 removed', 10);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('abnormal_operation', '经营异常名录', '厦门市市场监督管理局', 'flag', '', 0, 0, '列入经营异常名录；移出后状态为 closed', 11);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('serious_violation', '严重违法失信名单', '厦门市市场监督管理局', 'flag', '', 0, 1, '列入期间封顶信用等级', 12);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('admin_penalty', '行政处罚', '厦门市市场监督管理局等', 'severity', 'minor,major,serious', 36, 0, '处罚程度：minor 轻微、major 较重、serious 严重；信用修复后状态为 removed', 13);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('customs_rating', '海关信用等级', '厦门海关', 'grade', 'advanced,general,dishonest', 36, 0, 'advanced 高级认证、general 一般信用、dishonest 失信', 14);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('honour', '荣誉资质', '厦门市工业和信息化局；厦门市科学技术局', 'count', '', 120, 0, '省级以上荣誉、资质认定', 15);
INSERT INTO credit_record_types (code, name, source_department, value_kind, allowed_values, counts_months, red_flag, description, sort) VALUES ('patent', '专利与知识产权', '厦门市市场监督管理局（知识产权局）', 'count', '', 120, 0, '授权专利等知识产权数量', 16);

CREATE TABLE credit_records (
    {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    type_code TEXT NOT NULL REFERENCES credit_record_types(code),
    source TEXT NOT NULL,
    external_ref TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    valid_until TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    value_text TEXT NOT NULL DEFAULT '',
    amount_fen BIGINT,
    quantity BIGINT,
    detail TEXT NOT NULL DEFAULT '',
    import_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (source, external_ref)
);
CREATE INDEX credit_records_enterprise ON credit_records(enterprise_id, type_code);

-- One row per load from a source, beside its row in imports (counts and the per-row report).
CREATE TABLE credit_loads (
    import_id BIGINT PRIMARY KEY REFERENCES imports(id),
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    quality TEXT NOT NULL,
    rescored BIGINT NOT NULL DEFAULT 0,
    at BIGINT NOT NULL
);
CREATE INDEX credit_loads_source ON credit_loads(source, at);

CREATE TABLE credit_models (
    version TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    origin TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE credit_scores (
    {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    model_version TEXT NOT NULL REFERENCES credit_models(version),
    as_of TEXT NOT NULL,
    computed_at BIGINT NOT NULL,
    score INTEGER NOT NULL,
    grade TEXT NOT NULL,
    capped_by TEXT NOT NULL DEFAULT '',
    inputs TEXT NOT NULL,
    result TEXT NOT NULL,
    record_ids TEXT NOT NULL DEFAULT '[]',
    reason TEXT NOT NULL,
    is_current INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX credit_scores_enterprise ON credit_scores(enterprise_id, computed_at);
CREATE INDEX credit_scores_current ON credit_scores(is_current, grade);
CREATE INDEX credit_scores_month ON credit_scores(computed_at);

CREATE TABLE whitelist_rule_sets (
    version TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Candidates a rule run proposed (maker) and an officer other than the proposer approved or rejected (checker).
CREATE TABLE whitelist_candidates (
    {{id}},
    run_at BIGINT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    rule_version TEXT NOT NULL REFERENCES whitelist_rule_sets(version),
    score_id BIGINT NOT NULL REFERENCES credit_scores(id),
    grade TEXT NOT NULL,
    checks TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'proposed',
    proposed_by BIGINT,
    proposed_by_name TEXT NOT NULL,
    decided_by BIGINT,
    decided_by_name TEXT NOT NULL DEFAULT '',
    decided_at BIGINT,
    note TEXT NOT NULL DEFAULT '',
    entry_id BIGINT
);
CREATE INDEX whitelist_candidates_status ON whitelist_candidates(status, enterprise_id);

ALTER TABLE loans ADD COLUMN outcome TEXT NOT NULL DEFAULT 'performing';
ALTER TABLE loans ADD COLUMN outcome_on TEXT NOT NULL DEFAULT '';
