-- The financing loop: LPR and product kinds as reference data, products, demands, applications with their
-- event timeline, rejection reasons, consent with its access log, loans and repayments.

CREATE TABLE lpr_rates (
    effective_on TEXT PRIMARY KEY,
    one_year_bp INTEGER NOT NULL,
    five_year_bp INTEGER NOT NULL
);
INSERT INTO lpr_rates (effective_on, one_year_bp, five_year_bp) VALUES ('2024-01-22', 345, 420);
INSERT INTO lpr_rates (effective_on, one_year_bp, five_year_bp) VALUES ('2024-02-20', 345, 395);
INSERT INTO lpr_rates (effective_on, one_year_bp, five_year_bp) VALUES ('2024-07-22', 335, 385);
INSERT INTO lpr_rates (effective_on, one_year_bp, five_year_bp) VALUES ('2024-10-21', 310, 360);
INSERT INTO lpr_rates (effective_on, one_year_bp, five_year_bp) VALUES ('2025-05-20', 300, 350);

CREATE TABLE product_kinds (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sort INTEGER NOT NULL DEFAULT 0
);
INSERT INTO product_kinds (code, name, sort) VALUES ('credit_loan', '信用贷', 1);
INSERT INTO product_kinds (code, name, sort) VALUES ('mortgage_loan', '抵押贷', 2);
INSERT INTO product_kinds (code, name, sort) VALUES ('guaranteed_loan', '担保贷', 3);
INSERT INTO product_kinds (code, name, sort) VALUES ('ip_pledge', '知识产权质押', 4);
INSERT INTO product_kinds (code, name, sort) VALUES ('supply_chain', '供应链金融', 5);
INSERT INTO product_kinds (code, name, sort) VALUES ('green_loan', '绿色贷款', 6);
INSERT INTO product_kinds (code, name, sort) VALUES ('carbon_pledge', '碳排放权质押', 7);
INSERT INTO product_kinds (code, name, sort) VALUES ('tech_credit', '科技信贷', 8);
INSERT INTO product_kinds (code, name, sort) VALUES ('first_loan', '首贷', 9);
INSERT INTO product_kinds (code, name, sort) VALUES ('fund_guarantee', '增信基金担保贷', 10);
INSERT INTO product_kinds (code, name, sort) VALUES ('rd_insurance', '研发保险', 11);
INSERT INTO product_kinds (code, name, sort) VALUES ('equity', '股权投资', 12);

CREATE TABLE rejection_reasons (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    advice TEXT NOT NULL
);
INSERT INTO rejection_reasons (code, name, advice) VALUES ('insufficient_revenue', '经营收入不足', '可补充最近年度经营数据，或选择额度更低的产品。');
INSERT INTO rejection_reasons (code, name, advice) VALUES ('high_leverage', '负债率偏高', '降低负债率或提供担保、抵押后再申请。');
INSERT INTO rejection_reasons (code, name, advice) VALUES ('credit_record', '信用记录不良', '先处理欠税、欠费或司法记录，信用修复后再申请。');
INSERT INTO rejection_reasons (code, name, advice) VALUES ('no_collateral', '缺少抵押或担保', '可申请市增信基金或融资担保公司担保。');
INSERT INTO rejection_reasons (code, name, advice) VALUES ('outside_policy', '不符合产品准入要求', '查看其他可申请的产品，或联系产业主管部门了解政策。');
INSERT INTO rejection_reasons (code, name, advice) VALUES ('incomplete_documents', '材料不完整', '按清单补齐材料后重新提交。');
INSERT INTO rejection_reasons (code, name, advice) VALUES ('other', '其他原因', '请联系客户经理了解详情。');

CREATE TABLE products (
    {{id}},
    institution_id BIGINT NOT NULL REFERENCES institutions(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL REFERENCES product_kinds(code),
    description TEXT NOT NULL DEFAULT '',
    amount_min_fen BIGINT NOT NULL,
    amount_max_fen BIGINT NOT NULL,
    term_min_months INTEGER NOT NULL,
    term_max_months INTEGER NOT NULL,
    rate_mode TEXT NOT NULL,
    rate_min_bp INTEGER NOT NULL,
    rate_max_bp INTEGER NOT NULL,
    eligibility TEXT NOT NULL DEFAULT '{}',
    monthly_capacity INTEGER NOT NULL DEFAULT 0,
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to TEXT NOT NULL DEFAULT '',
    policy_links TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'draft',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX products_institution ON products(institution_id);
CREATE INDEX products_status ON products(status);

CREATE TABLE demands (
    {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    amount_fen BIGINT NOT NULL,
    term_months INTEGER NOT NULL,
    purpose TEXT NOT NULL,
    collateral TEXT NOT NULL DEFAULT '',
    guarantee TEXT NOT NULL DEFAULT '',
    max_rate_bp INTEGER,
    urgency TEXT NOT NULL DEFAULT 'normal',
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    taken INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX demands_enterprise ON demands(enterprise_id);
CREATE INDEX demands_status ON demands(status);

-- Earlier versions of a demand that an institution had already taken up.
CREATE TABLE demand_versions (
    demand_id BIGINT NOT NULL REFERENCES demands(id),
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    replaced_at BIGINT NOT NULL,
    PRIMARY KEY (demand_id, version)
);

CREATE TABLE applications (
    {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    demand_id BIGINT REFERENCES demands(id),
    product_id BIGINT REFERENCES products(id),
    institution_id BIGINT NOT NULL REFERENCES institutions(id),
    origin TEXT NOT NULL,
    status TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    term_months INTEGER NOT NULL,
    approved_amount_fen BIGINT,
    rate_bp INTEGER,
    reason_code TEXT NOT NULL DEFAULT '',
    advice TEXT NOT NULL DEFAULT '',
    submitted_at BIGINT NOT NULL,
    accepted_at BIGINT,
    contacted_at BIGINT,
    docs_complete_at BIGINT,
    decided_at BIGINT,
    disbursed_at BIGINT,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX applications_enterprise ON applications(enterprise_id);
CREATE INDEX applications_institution ON applications(institution_id, status);

CREATE TABLE application_events (
    {{id}},
    application_id BIGINT NOT NULL REFERENCES applications(id),
    at BIGINT NOT NULL,
    event TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_app ON application_events(application_id);

CREATE TABLE consents (
    {{id}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    institution_id BIGINT NOT NULL REFERENCES institutions(id),
    application_id BIGINT NOT NULL REFERENCES applications(id),
    granted_by BIGINT NOT NULL,
    granted_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX consents_lookup ON consents(enterprise_id, institution_id);

-- Every read of an enterprise's credit profile by an institution, with the consent it relied on.
CREATE TABLE credit_access_log (
    {{id}},
    at BIGINT NOT NULL,
    enterprise_id BIGINT NOT NULL,
    institution_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    user_name TEXT NOT NULL,
    consent_id BIGINT NOT NULL,
    application_id BIGINT NOT NULL,
    what TEXT NOT NULL,
    request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX credit_access_log_enterprise ON credit_access_log(enterprise_id, at);

CREATE TABLE loans (
    {{id}},
    institution_id BIGINT NOT NULL REFERENCES institutions(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    application_id BIGINT REFERENCES applications(id),
    loan_ref TEXT NOT NULL,
    source TEXT NOT NULL,
    product_kind TEXT NOT NULL DEFAULT '',
    amount_fen BIGINT NOT NULL,
    rate_bp INTEGER NOT NULL,
    term_months INTEGER NOT NULL,
    disbursed_on TEXT NOT NULL,
    maturity_on TEXT NOT NULL,
    has_collateral INTEGER NOT NULL DEFAULT 0,
    has_guarantee INTEGER NOT NULL DEFAULT 0,
    use_industry_code TEXT NOT NULL DEFAULT '',
    green_use INTEGER NOT NULL DEFAULT 0,
    is_credit INTEGER NOT NULL,
    is_first_loan INTEGER NOT NULL,
    is_mid_long INTEGER NOT NULL,
    is_inclusive_small INTEGER NOT NULL,
    is_mfg_borrower INTEGER NOT NULL,
    is_mfg_use INTEGER NOT NULL,
    is_green INTEGER NOT NULL,
    is_tech INTEGER NOT NULL,
    flag_reasons TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    UNIQUE (institution_id, loan_ref)
);
CREATE INDEX loans_enterprise ON loans(enterprise_id);
CREATE INDEX loans_disbursed ON loans(disbursed_on);

CREATE TABLE repayments (
    {{id}},
    loan_id BIGINT NOT NULL REFERENCES loans(id),
    paid_on TEXT NOT NULL,
    principal_fen BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX repayments_loan ON repayments(loan_id, paid_on);

-- Collection campaigns (定期征集): an officer asks the members of a directory for their needs by a deadline.
CREATE TABLE campaigns (
    {{id}},
    title TEXT NOT NULL,
    directory_id BIGINT NOT NULL REFERENCES directories(id),
    opened_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    pushed_at BIGINT,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The enterprises asked (the directory's members when the campaign opened) and the reminders sent to them.
CREATE TABLE campaign_targets (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    reminders INTEGER NOT NULL DEFAULT 0,
    last_reminded_at BIGINT,
    PRIMARY KEY (campaign_id, enterprise_id)
);

ALTER TABLE demands ADD COLUMN campaign_id BIGINT REFERENCES campaigns(id);
