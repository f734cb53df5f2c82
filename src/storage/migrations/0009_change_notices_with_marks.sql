-- Change notices carry the lowest change mark they wrote (PostgreSQL only; SQLite has no notices).
-- The matching index catches up from the largest mark it has seen. A transaction that stamps rows and commits after
-- a later-stamped change has been read (a long import, say) would leave its rows behind that mark; its notice, sent
-- at commit, now names the lowest mark it wrote ("demands 1767225600000"), and the index reads again from there.
-- Updates of credit scores (the previous score made not current) and deletions notify without a mark.

-- dialect: postgres
CREATE FUNCTION chanrong_matching_notify_from() RETURNS trigger AS $$
DECLARE
    low BIGINT;
BEGIN
    EXECUTE 'SELECT MIN(' || TG_ARGV[0] || ') FROM changed' INTO low;
    PERFORM pg_notify('chanrong_matching', TG_TABLE_NAME || COALESCE(' ' || low, ''));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER products_matching_notify ON products;
DROP TRIGGER demands_matching_notify ON demands;
DROP TRIGGER enterprises_matching_notify ON enterprises;
DROP TRIGGER credit_scores_matching_notify ON credit_scores;
DROP TRIGGER directory_entries_matching_notify ON directory_entries;
DROP TRIGGER enterprise_tags_matching_notify ON enterprise_tags;
DROP TRIGGER applications_matching_notify ON applications;

CREATE TRIGGER products_matching_insert AFTER INSERT ON products REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('updated_at');
CREATE TRIGGER products_matching_update AFTER UPDATE ON products REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('updated_at');
CREATE TRIGGER products_matching_delete AFTER DELETE ON products FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify();
CREATE TRIGGER demands_matching_insert AFTER INSERT ON demands REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('updated_at');
CREATE TRIGGER demands_matching_update AFTER UPDATE ON demands REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('updated_at');
CREATE TRIGGER demands_matching_delete AFTER DELETE ON demands FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify();
CREATE TRIGGER enterprises_matching_insert AFTER INSERT ON enterprises REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('updated_at');
CREATE TRIGGER enterprises_matching_update AFTER UPDATE ON enterprises REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('updated_at');
CREATE TRIGGER enterprises_matching_delete AFTER DELETE ON enterprises FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify();
CREATE TRIGGER credit_scores_matching_insert AFTER INSERT ON credit_scores REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('id');
CREATE TRIGGER credit_scores_matching_update AFTER UPDATE ON credit_scores FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify();
CREATE TRIGGER directory_entries_matching_insert AFTER INSERT ON directory_entries REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('updated_at');
CREATE TRIGGER directory_entries_matching_update AFTER UPDATE ON directory_entries REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('updated_at');
CREATE TRIGGER enterprise_tags_matching_insert AFTER INSERT ON enterprise_tags REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('created_at');
CREATE TRIGGER enterprise_tags_matching_update AFTER UPDATE ON enterprise_tags REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('COALESCE(revoked_at, created_at)');
CREATE TRIGGER applications_matching_insert AFTER INSERT ON applications REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('updated_at');
CREATE TRIGGER applications_matching_update AFTER UPDATE ON applications REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION chanrong_matching_notify_from('updated_at');
