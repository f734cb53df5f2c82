#include "registry/enterprise_store.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <soci/soci.h>

#include <array>

#include "common/json_out.hpp"
#include "common/text_normalize.hpp"
#include "common/time_format.hpp"
#include "registry/size_class.hpp"
#include "storage/row.hpp"

namespace chanrong::registry {
namespace json = boost::json;
namespace {

// The columns of a new enterprise's row: NewEnterpriseRow's text in order, then validity, capital and the two stamps.
constexpr const char* kInsertColumns =
    "(uscc, name, name_normalized, district, industry_code, industry_446, uscc_problem, legal_rep_cipher, "
    "legal_rep_masked, founded_on, contact_person, contact_phone, address, uscc_valid, registered_capital_fen, "
    "created_at, updated_at)";

bool IsDate(const std::string& s) { return s.size() == 10 && ParseIsoTimestamp(s).has_value(); }

bool IsPhone(const std::string& s) {
    return !s.empty() && s.size() <= 20 &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == ' '; });
}

}  // namespace

std::vector<FieldError> ValidateFields(const EnterpriseFields& f, const ReferenceSets& refs, bool creating) {
    std::vector<FieldError> errors;
    auto add = [&](const char* field, const char* code, std::string message) { errors.push_back({field, code, std::move(message)}); };
    if (creating && !f.name) add("name", "required", "必填");
    if (f.name && (f.name->empty() || Utf8Length(*f.name) > 100)) add("name", "invalid", "企业名称应为 1–100 个字符");
    if (creating && !f.district) add("district", "required", "必填");
    if (f.district && !refs.districts.contains(*f.district)) add("district", "unknown_district", "未知行政区: " + *f.district);
    if (creating && !f.industry_code) add("industry_code", "required", "必填");
    if (f.industry_code && !refs.industry_names.contains(*f.industry_code))
        add("industry_code", "unknown_industry", "不是 GB/T 4754-2017 中的行业代码: " + *f.industry_code);
    if (f.legal_rep && Utf8Length(*f.legal_rep) > 50) add("legal_rep", "too_long", "不能超过 50 个字符");
    if (f.registered_capital_fen && *f.registered_capital_fen < 0) add("registered_capital_fen", "negative", "不能为负数");
    if (f.founded_on && !f.founded_on->empty() && !IsDate(*f.founded_on))
        add("founded_on", "invalid_date", "日期格式应为 YYYY-MM-DD");
    if (f.contact_person && Utf8Length(*f.contact_person) > 50) add("contact_person", "too_long", "不能超过 50 个字符");
    if (f.contact_phone && !f.contact_phone->empty() && !IsPhone(*f.contact_phone))
        add("contact_phone", "invalid_phone", "电话号码只能包含数字、空格、+ 和 -");
    if (f.address && Utf8Length(*f.address) > 200) add("address", "too_long", "不能超过 200 个字符");
    return errors;
}

std::vector<FieldError> ValidateFigures(const YearFigures& f) {
    std::vector<FieldError> errors;
    if (f.year < 1949 || f.year > 2100) errors.push_back({"year", "out_of_range", "年份应在 1949–2100 之间"});
    const std::pair<const char*, const std::optional<long long>*> non_negative[] = {
        {"employees", &f.employees}, {"revenue_fen", &f.revenue_fen}, {"assets_fen", &f.assets_fen},
        {"liabilities_fen", &f.liabilities_fen}, {"rd_spend_fen", &f.rd_spend_fen}, {"rd_staff", &f.rd_staff},
        {"invention_patents", &f.invention_patents}};
    for (const auto& [name, value] : non_negative)
        if (*value && **value < 0) errors.push_back({name, "negative", "不能为负数"});
    if (f.rd_staff && f.employees && *f.rd_staff > *f.employees)
        errors.push_back({"rd_staff", "exceeds_employees", "研发人员不能多于从业人员"});
    return errors;
}

NewEnterpriseRow MakeNewEnterpriseRow(const std::string& uscc, const std::string& uscc_problem,
                                      const EnterpriseFields& f, const ReferenceSets& refs, const FieldCipher& cipher) {
    const std::string name = f.name.value_or(""), industry = f.industry_code.value_or(""),
                      legal_rep = f.legal_rep.value_or("");
    return {.text = {uscc, name, NormalizeForSearch(name), f.district.value_or(""), industry,
                     Map446(refs.mapping, industry).value_or(""), uscc_problem, cipher.Encrypt(legal_rep),
                     MaskName(legal_rep), f.founded_on.value_or(""), f.contact_person.value_or(""),
                     f.contact_phone.value_or(""), f.address.value_or("")},
            .uscc_valid = uscc_problem.empty() ? 1 : 0,
            .capital_fen = f.registered_capital_fen};
}

long long InsertEnterprise(soci::session& s, const std::string& uscc, const std::string& uscc_problem,
                           const EnterpriseFields& f, const ReferenceSets& refs, const FieldCipher& cipher,
                           TimestampMs now) {
    const NewEnterpriseRow row = MakeNewEnterpriseRow(uscc, uscc_problem, f, refs, cipher);
    const auto& t = row.text;
    auto capital = storage::Nullable(row.capital_fen);
    long long id = 0;
    s << std::string("INSERT INTO enterprises ") + kInsertColumns +
             " VALUES (:u, :n, :nn, :d, :i, :k, :p, :lc, :lm, :f, :cp, :ph, :a, :v, :rc, :t1, :t2) RETURNING id",
        soci::use(t[0]), soci::use(t[1]), soci::use(t[2]), soci::use(t[3]), soci::use(t[4]), soci::use(t[5]),
        soci::use(t[6]), soci::use(t[7]), soci::use(t[8]), soci::use(t[9]), soci::use(t[10]), soci::use(t[11]),
        soci::use(t[12]), soci::use(row.uscc_valid), soci::use(capital.value, capital.ind), soci::use(now),
        soci::use(now), soci::into(id);
    return id;
}

void UpdateEnterprise(soci::session& s, long long id, const EnterpriseFields& f, const FieldCipher& cipher,
                      TimestampMs now) {
    std::string sql = "UPDATE enterprises SET updated_at = :t, version = version + 1";
    std::vector<std::pair<std::string, std::string>> text;  // column, value
    if (f.name) {
        text.emplace_back("name", *f.name);
        text.emplace_back("name_normalized", NormalizeForSearch(*f.name));
    }
    if (f.district) text.emplace_back("district", *f.district);
    if (f.industry_code) text.emplace_back("industry_code", *f.industry_code);
    if (f.legal_rep) {
        text.emplace_back("legal_rep_cipher", cipher.Encrypt(*f.legal_rep));
        text.emplace_back("legal_rep_masked", MaskName(*f.legal_rep));
    }
    if (f.founded_on) text.emplace_back("founded_on", *f.founded_on);
    if (f.contact_person) text.emplace_back("contact_person", *f.contact_person);
    if (f.contact_phone) text.emplace_back("contact_phone", *f.contact_phone);
    if (f.address) text.emplace_back("address", *f.address);
    for (size_t i = 0; i < text.size(); ++i) sql += ", " + text[i].first + " = :v" + std::to_string(i);
    long long capital = f.registered_capital_fen.value_or(0);
    if (f.registered_capital_fen) sql += ", registered_capital_fen = :cap";
    sql += " WHERE id = :id";
    soci::statement st(s);
    st.alloc();
    st.prepare(sql);
    long long at = now, target = id;
    st.exchange(soci::use(at, "t"));
    for (size_t i = 0; i < text.size(); ++i) st.exchange(soci::use(text[i].second, "v" + std::to_string(i)));
    if (f.registered_capital_fen) st.exchange(soci::use(capital, "cap"));
    st.exchange(soci::use(target, "id"));
    st.define_and_bind();
    st.execute(true);
}

void UpsertFigures(soci::session& s, long long id, const YearFigures& f, TimestampMs now) {
    s << "DELETE FROM enterprise_figures WHERE enterprise_id = :id AND year = :y", soci::use(id), soci::use(f.year);
    storage::NullableInt v[8] = {storage::Nullable(f.employees),       storage::Nullable(f.revenue_fen),
                                 storage::Nullable(f.assets_fen),      storage::Nullable(f.liabilities_fen),
                                 storage::Nullable(f.rd_spend_fen),    storage::Nullable(f.rd_staff),
                                 storage::Nullable(f.value_added_fen), storage::Nullable(f.invention_patents)};
    s << "INSERT INTO enterprise_figures (enterprise_id, year, employees, revenue_fen, assets_fen, liabilities_fen, "
         "rd_spend_fen, rd_staff, value_added_fen, invention_patents, updated_at) VALUES (:id, :y, :a, :b, :c, :d, "
         ":e, :f, :g, :h, :t)",
        soci::use(id), soci::use(f.year), soci::use(v[0].value, v[0].ind), soci::use(v[1].value, v[1].ind),
        soci::use(v[2].value, v[2].ind), soci::use(v[3].value, v[3].ind), soci::use(v[4].value, v[4].ind),
        soci::use(v[5].value, v[5].ind), soci::use(v[6].value, v[6].ind), soci::use(v[7].value, v[7].ind),
        soci::use(now);
}

bool RecomputeDerived(soci::session& s, long long id, const ReferenceSets& refs, TimestampMs now) {
    std::string industry, source, class446, old_size, old_rule;
    storage::NullableInt old_year;
    s << "SELECT industry_code, industry_446_source, industry_446, size_class, size_rule, size_year FROM enterprises "
         "WHERE id = :id",
        soci::use(id), soci::into(industry), soci::into(source), soci::into(class446), soci::into(old_size),
        soci::into(old_rule), soci::into(old_year.value, old_year.ind);
    const std::string old_class = class446;
    if (source != "override") class446 = Map446(refs.mapping, industry).value_or("");
    int year = 0;
    storage::NullableInt employees, revenue, assets;
    s << "SELECT year, employees, revenue_fen, assets_fen FROM enterprise_figures WHERE enterprise_id = :id "
         "ORDER BY year DESC LIMIT 1",
        soci::use(id), soci::into(year), soci::into(employees.value, employees.ind),
        soci::into(revenue.value, revenue.ind), soci::into(assets.value, assets.ind);
    std::string size, rule;
    storage::NullableInt size_year;
    if (s.got_data()) {
        size_year = storage::Nullable(std::optional<long long>(year));
        auto decision = ClassifySize({industry, employees.get(), revenue.get(), assets.get()}, refs.size_thresholds);
        if (decision) {
            size = std::string(SizeClassName(decision->size));
            rule = decision->rule_zh;
        } else {
            rule = decision.error().message;
        }
    }
    if (class446 == old_class && size == old_size && rule == old_rule && size_year.get() == old_year.get()) return false;
    s << "UPDATE enterprises SET industry_446 = :k, size_class = :s, size_rule = :r, size_year = :y, updated_at = :t "
         "WHERE id = :id",
        soci::use(class446), soci::use(size), soci::use(rule), soci::use(size_year.value, size_year.ind), soci::use(now),
        soci::use(id);
    return true;
}

std::optional<long long> FindByUscc(soci::session& s, const std::string& uscc) {
    long long id = 0;
    s << "SELECT id FROM enterprises WHERE uscc = :u", soci::use(uscc), soci::into(id);
    return s.got_data() ? std::optional(id) : std::nullopt;
}

std::optional<json::object> LoadProfile(soci::session& s, long long id, const std::string& scope, bool mask_contact) {
    std::string uscc, problem, name, district, industry, c446, source, note, legal, founded, person, phone, address,
        size, rule, industry_name, class_name;
    soci::indicator industry_name_ind = soci::i_null, class_name_ind = soci::i_null;
    int valid = 1, version = 0;
    long long created = 0, updated = 0;
    storage::NullableInt capital, size_year;
    s << "SELECT e.uscc, e.uscc_valid, e.uscc_problem, e.name, COALESCE(e.district, ''), COALESCE(e.industry_code, ''), "
         "ic.name, COALESCE(e.industry_446, ''), "
         "t.name, e.industry_446_source, e.industry_446_note, e.legal_rep_masked, e.registered_capital_fen, "
         "e.founded_on, e.contact_person, e.contact_phone, e.address, e.size_class, e.size_rule, e.size_year, "
         "e.version, e.created_at, e.updated_at FROM enterprises e "
         "LEFT JOIN industry_codes ic ON ic.code = e.industry_code "
         "LEFT JOIN taxonomy_446 t ON t.code = e.industry_446 AND t.version = (SELECT MAX(version) FROM taxonomy_446) "
         "WHERE e.id = :id AND " + scope,
        soci::use(id), soci::into(uscc), soci::into(valid), soci::into(problem), soci::into(name), soci::into(district),
        soci::into(industry), soci::into(industry_name, industry_name_ind), soci::into(c446),
        soci::into(class_name, class_name_ind), soci::into(source), soci::into(note), soci::into(legal),
        soci::into(capital.value, capital.ind), soci::into(founded), soci::into(person), soci::into(phone),
        soci::into(address), soci::into(size), soci::into(rule), soci::into(size_year.value, size_year.ind),
        soci::into(version), soci::into(created), soci::into(updated);
    if (!s.got_data()) return std::nullopt;
    return json::object{{"id", id}, {"uscc", uscc}, {"uscc_valid", valid == 1}, {"uscc_problem", problem},
                        {"name", name}, {"district", district}, {"industry_code", industry},
                        {"industry_name", industry_name_ind == soci::i_ok ? industry_name : ""},
                        {"industry_446", c446}, {"industry_446_name", class_name_ind == soci::i_ok ? class_name : ""},
                        {"industry_446_source", source}, {"industry_446_note", note}, {"legal_rep", legal},
                        {"registered_capital_fen", OptionalInt(capital.get())}, {"founded_on", founded},
                        {"contact_person", mask_contact ? MaskName(person) : person},
                        {"contact_phone", mask_contact ? MaskPhone(phone) : phone}, {"address", address},
                        {"size_class", size}, {"size_rule", rule}, {"size_year", OptionalInt(size_year.get())},
                        {"version", version}, {"created_at", FormatIsoUtc(created)}, {"updated_at", FormatIsoUtc(updated)}};
}

namespace {
constexpr size_t kCopyChunk = 1u << 20;  // bytes sent to the server at a time
}  // namespace

EnterpriseBatchInserter::EnterpriseBatchInserter(soci::session& s, bool postgres, TimestampMs now)
    : s_(s), postgres_(postgres), now_(now) {}

// A COPY left open by an import that stopped is ended by libpq itself when the session rolls back ("COPY terminated
// by new PQexec"); the import test that stops a bulk load halfway covers it.
EnterpriseBatchInserter::~EnterpriseBatchInserter() { sqlite_api::sqlite3_finalize(insert_); }

void EnterpriseBatchInserter::Add(NewEnterpriseRow&& row) {
    if (!postgres_) return Insert(row);
    CopyRow(row);
    if (copy_buffer_.size() >= kCopyChunk) CopySend();
}

void EnterpriseBatchInserter::Insert(const NewEnterpriseRow& row) {
    using namespace sqlite_api;
    sqlite3* db = static_cast<soci::sqlite3_session_backend*>(s_.get_backend())->conn_;
    auto fail = [&] { throw soci::soci_error(std::string("INSERT INTO enterprises: ") + sqlite3_errmsg(db)); };
    if (!insert_) {
        const std::string sql = std::string("INSERT INTO enterprises ") + kInsertColumns +
                                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &insert_, nullptr) != SQLITE_OK) fail();
    }
    int i = 0;
    for (const std::string& text : row.text)
        sqlite3_bind_text(insert_, ++i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    sqlite3_bind_int(insert_, ++i, row.uscc_valid);
    if (row.capital_fen) sqlite3_bind_int64(insert_, ++i, *row.capital_fen);
    else sqlite3_bind_null(insert_, ++i);
    sqlite3_bind_int64(insert_, ++i, now_);
    sqlite3_bind_int64(insert_, ++i, now_);
    const int stepped = sqlite3_step(insert_);
    sqlite3_reset(insert_);
    if (stepped != SQLITE_DONE) fail();
}

namespace {
[[noreturn]] void CopyFailed(PGconn* conn, const std::string& what) {
    throw soci::soci_error("COPY enterprises: " + what + ": " + PQerrorMessage(conn));
}
}  // namespace

void EnterpriseBatchInserter::Flush() {
    if (!postgres_) return;
    if (!copy_buffer_.empty()) CopySend();
    if (!copying_) return;
    copying_ = false;
    PGconn* conn = static_cast<soci::postgresql_session_backend*>(s_.get_backend())->conn_;
    if (PQputCopyEnd(conn, nullptr) != 1) CopyFailed(conn, "end");
    bool ok = true;
    while (PGresult* r = PQgetResult(conn)) {
        ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
    }
    if (!ok) CopyFailed(conn, "load");
}

// One CSV line in kInsertColumns order: text quoted (so "" is an empty string), a missing capital unquoted (NULL).
void EnterpriseBatchInserter::CopyRow(const NewEnterpriseRow& row) {
    for (const std::string& field : row.text) {
        copy_buffer_ += '"';
        for (char c : field) {
            if (c == '"') copy_buffer_ += '"';
            copy_buffer_ += c;
        }
        copy_buffer_ += "\",";
    }
    copy_buffer_ += std::to_string(row.uscc_valid) + ",";
    if (row.capital_fen) copy_buffer_ += std::to_string(*row.capital_fen);
    copy_buffer_ += "," + std::to_string(now_) + "," + std::to_string(now_) + "\n";
}

// Sends what is buffered, opening the COPY first if needed; the server loads it while more rows are prepared.
void EnterpriseBatchInserter::CopySend() {
    PGconn* conn = static_cast<soci::postgresql_session_backend*>(s_.get_backend())->conn_;
    if (!copying_) {
        PGresult* started =
            PQexec(conn, (std::string("COPY enterprises ") + kInsertColumns + " FROM STDIN WITH (FORMAT csv)").c_str());
        copying_ = PQresultStatus(started) == PGRES_COPY_IN;
        PQclear(started);
        if (!copying_) CopyFailed(conn, "start");
    }
    if (PQputCopyData(conn, copy_buffer_.data(), static_cast<int>(copy_buffer_.size())) != 1) CopyFailed(conn, "send");
    copy_buffer_.clear();
}

DeferredEnterpriseIndexes::DeferredEnterpriseIndexes(soci::session& s) : s_(s) {
    std::string name, sql;
    soci::statement indexes = (s.prepare << "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                                            "tbl_name = 'enterprises' AND sql IS NOT NULL ORDER BY name",
                               soci::into(name), soci::into(sql));
    indexes.execute();
    std::vector<std::string> names;
    while (indexes.fetch()) {
        names.push_back(name);
        indexes_.push_back(sql);
    }
    soci::indicator trigger_ind = soci::i_null;
    s << "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'enterprises_search_insert'",
        soci::into(search_trigger_, trigger_ind);
    if (!s.got_data() || trigger_ind != soci::i_ok) search_trigger_.clear();
    s << "SELECT COALESCE(MAX(id), 0) FROM enterprises", soci::into(last_id_);
    for (const auto& index : names) s << "DROP INDEX \"" + index + "\"";
    if (!search_trigger_.empty()) s << "DROP TRIGGER enterprises_search_insert";
}

void DeferredEnterpriseIndexes::Restore() {
    for (const auto& sql : indexes_) s_ << sql;
    if (search_trigger_.empty()) return;
    s_ << "INSERT INTO enterprise_search (rowid, name_normalized) SELECT id, name_normalized FROM enterprises "
          "WHERE id > :last",
        soci::use(last_id_);
    s_ << search_trigger_;
}

}  // namespace chanrong::registry
