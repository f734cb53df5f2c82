-- Reference data administrators edit: published versions of the SME size thresholds table (CSV text in the format
-- of data/sme-size-thresholds.csv). The newest version classifies enterprises; the shipped table is version 1.
CREATE TABLE size_threshold_versions (
    {{id}},
    content TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id)
);
