#include "finance/loan_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "finance/loan_flags.hpp"
#include "finance/working_calendar.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::finance {
namespace json = boost::json;
namespace {

std::string Scope(const auth::Principal& p) {
    if (p.enterprise_id) return "l.enterprise_id = " + std::to_string(*p.enterprise_id);
    if (p.institution_id)
        return "(l.institution_id = " + std::to_string(*p.institution_id) + " OR l.institution_id IN (SELECT id FROM "
               "institutions WHERE parent_id = " + std::to_string(*p.institution_id) + "))";
    return "1=1";
}

std::string AddMonths(const std::string& date, long long months) {
    using namespace std::chrono;
    const auto day = ParseIsoDate(date);
    if (!day) return date;
    year_month_day ymd{*day};
    ymd += std::chrono::months(months);
    if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;
    return FormatIsoDate(sys_days{ymd});
}

// The borrower facts the flag rules need.
LoanFacts FactsFor(soci::session& s, const LoanRecord& loan, const std::string& today) {
    LoanFacts f{.amount_fen = loan.amount_fen, .term_months = static_cast<int>(loan.term_months),
                .has_collateral = loan.has_collateral, .has_guarantee = loan.has_guarantee,
                .use_industry_code = loan.use_industry_code, .product_kind = loan.product_kind, .green_use = loan.green_use};
    s << "SELECT size_class, industry_code FROM enterprises WHERE id = :e", soci::use(loan.enterprise_id),
        soci::into(f.borrower_size), soci::into(f.borrower_industry_code);
    int earlier = 0, tech = 0;
    s << "SELECT COUNT(*) FROM loans WHERE enterprise_id = :e", soci::use(loan.enterprise_id), soci::into(earlier);
    f.earlier_loan_on_record = earlier > 0;
    s << "SELECT COUNT(*) FROM enterprise_tags WHERE enterprise_id = :e AND revoked_at IS NULL AND tag IN "
         "('high_tech', 'tech_sme', 'specialized', 'little_giant') AND valid_from <= :d AND (valid_to = '' OR valid_to > :d2)",
        soci::use(loan.enterprise_id), soci::use(today), soci::use(today), soci::into(tech);
    f.borrower_tech_tagged = tech > 0;
    std::vector<long long> loan_ids;
    long long id = 0;
    soci::statement st = (s.prepare << "SELECT id FROM loans WHERE enterprise_id = :e", soci::use(loan.enterprise_id),
                          soci::into(id));
    st.execute();
    while (st.fetch()) loan_ids.push_back(id);
    long long outstanding = 0;
    for (long long l : loan_ids) outstanding += OutstandingAsOf(s, l, today);
    f.borrower_total_credit_fen = outstanding + loan.amount_fen;
    return f;
}

constexpr const char* kSelect =
    "SELECT l.id, l.institution_id, i.name, l.enterprise_id, e.name, l.application_id, l.loan_ref, l.source, "
    "l.product_kind, l.amount_fen, l.rate_bp, l.term_months, l.disbursed_on, l.maturity_on, l.is_credit, "
    "l.is_first_loan, l.is_mid_long, l.is_inclusive_small, l.is_mfg_borrower, l.is_mfg_use, l.is_green, l.is_tech, "
    "l.flag_reasons FROM loans l JOIN institutions i ON i.id = l.institution_id JOIN enterprises e ON e.id = l.enterprise_id";

struct LoanRow {
    long long id = 0, institution_id = 0, enterprise_id = 0, amount = 0;
    int rate = 0, term = 0;
    int flags[8] = {};
    storage::NullableInt application;
    std::string institution, enterprise, ref, source, kind, disbursed, maturity, reasons;
    void Into(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(institution_id));
        st.exchange(soci::into(institution));
        st.exchange(soci::into(enterprise_id));
        st.exchange(soci::into(enterprise));
        st.exchange(soci::into(application.value, application.ind));
        for (std::string* s : {&ref, &source, &kind}) st.exchange(soci::into(*s));
        st.exchange(soci::into(amount));
        st.exchange(soci::into(rate));
        st.exchange(soci::into(term));
        st.exchange(soci::into(disbursed));
        st.exchange(soci::into(maturity));
        for (int& f : flags) st.exchange(soci::into(f));
        st.exchange(soci::into(reasons));
    }
    json::object ToJson(long long outstanding) const {
        static const char* names[8] = {"credit", "first_loan", "mid_long_term", "inclusive_small_micro",
                                       "manufacturing_by_borrower", "manufacturing_by_use", "green", "technology"};
        json::object flag_json;
        for (int i = 0; i < 8; ++i) flag_json[names[i]] = flags[i] == 1;
        return {{"id", id}, {"institution_id", institution_id}, {"institution_name", institution},
                {"enterprise_id", enterprise_id}, {"enterprise_name", enterprise},
                {"application_id", OptionalInt(application.get())}, {"loan_ref", ref}, {"source", source},
                {"product_kind", kind}, {"amount_fen", amount}, {"rate_bp", rate}, {"term_months", term},
                {"disbursed_on", disbursed}, {"maturity_on", maturity}, {"flags", flag_json},
                {"flag_reasons", json::parse(reasons)}, {"outstanding_fen", outstanding}};
    }
};

}  // namespace

long long OutstandingAsOf(soci::session& s, long long loan_id, const std::string& date) {
    long long amount = 0;
    std::string disbursed;
    s << "SELECT amount_fen, disbursed_on FROM loans WHERE id = :id", soci::use(loan_id), soci::into(amount),
        soci::into(disbursed);
    if (!s.got_data() || disbursed > date) return 0;
    long long repaid = 0;
    soci::indicator ind = soci::i_null;
    s << "SELECT SUM(principal_fen) FROM repayments WHERE loan_id = :id AND paid_on <= :d", soci::use(loan_id),
        soci::use(date), soci::into(repaid, ind);
    return amount - (ind == soci::i_ok ? repaid : 0);
}

Result<long long> InsertLoan(soci::session& s, const LoanRecord& loan, TimestampMs now) {
    int exists = 0;
    s << "SELECT COUNT(*) FROM loans WHERE institution_id = :i AND loan_ref = :r", soci::use(loan.institution_id),
        soci::use(loan.loan_ref), soci::into(exists);
    if (exists)
        return Fail(Error{ErrorCode::kConflict, "该贷款编号已登记", {{"loan_ref", "duplicate", "贷款编号已登记"}}, {}});
    const LoanFlags flags = DeriveLoanFlags(FactsFor(s, loan, loan.disbursed_on));
    json::array reasons;
    for (const auto& r : flags.reasons_zh) reasons.push_back(json::value(r));
    const std::string reasons_text = json::serialize(reasons), maturity = AddMonths(loan.disbursed_on, loan.term_months);
    const int f[8] = {flags.credit, flags.first_loan, flags.mid_long_term, flags.inclusive_small_micro,
                      flags.manufacturing_by_borrower, flags.manufacturing_by_use, flags.green, flags.technology};
    const int collateral = loan.has_collateral, guarantee = loan.has_guarantee, green_use = loan.green_use;
    auto app = storage::Nullable(loan.application_id);
    long long id = 0;
    s << "INSERT INTO loans (institution_id, enterprise_id, application_id, loan_ref, source, product_kind, amount_fen, "
         "rate_bp, term_months, disbursed_on, maturity_on, has_collateral, has_guarantee, use_industry_code, green_use, "
         "is_credit, is_first_loan, is_mid_long, is_inclusive_small, is_mfg_borrower, is_mfg_use, is_green, is_tech, "
         "flag_reasons, created_at) VALUES (:i, :e, :a, :r, :s, :k, :am, :rb, :t, :d, :m, :hc, :hg, :u, :gu, :f0, :f1, "
         ":f2, :f3, :f4, :f5, :f6, :f7, :fr, :at) RETURNING id",
        soci::use(loan.institution_id), soci::use(loan.enterprise_id), soci::use(app.value, app.ind),
        soci::use(loan.loan_ref), soci::use(loan.source), soci::use(loan.product_kind), soci::use(loan.amount_fen),
        soci::use(loan.rate_bp), soci::use(loan.term_months), soci::use(loan.disbursed_on), soci::use(maturity),
        soci::use(collateral), soci::use(guarantee), soci::use(loan.use_industry_code), soci::use(green_use),
        soci::use(f[0]), soci::use(f[1]), soci::use(f[2]), soci::use(f[3]), soci::use(f[4]), soci::use(f[5]),
        soci::use(f[6]), soci::use(f[7]), soci::use(reasons_text), soci::use(now), soci::into(id);
    return id;
}

Result<json::object> LoanService::List(const auth::Principal& viewer, const std::optional<std::string>& as_of,
                                       long long offset, long long limit) {
    const std::string date = as_of.value_or(TodayIso(clock_));
    if (!ParseIsoDate(date)) return Fail(Error::Field("as_of", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        storage::Query count("SELECT COUNT(*) FROM loans l");
        count.Sql(" WHERE " + Scope(viewer));
        const long long total = storage::CountOf(s, count);
        storage::Query q(kSelect);
        q.Sql(" WHERE " + Scope(viewer) + " ORDER BY l.id DESC LIMIT ").Bind(limit).Sql(" OFFSET ").Bind(offset);
        LoanRow row;
        std::vector<LoanRow> rows;
        storage::ForEachRow(s, q, row, [&] { rows.push_back(row); });
        json::array items;
        for (const auto& r : rows) items.push_back(r.ToJson(OutstandingAsOf(s, r.id, date)));
        auto page = PageJson(std::move(items), total, offset, limit);
        page["as_of"] = date;
        return page;
    });
}

Result<audit::Outcome> LoanService::Report(const auth::Principal& viewer, const audit::Actor& actor, LoanRecord loan,
                                           const std::string& uscc, const audit::Command& command) {
    if (!viewer.institution_id) return Fail(Error::PermissionDenied("只有金融机构可以报送贷款"));
    if (!ParseIsoDate(loan.disbursed_on)) return Fail(Error::Field("disbursed_on", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    const TimestampMs now = clock_.NowMs();
    loan.institution_id = *viewer.institution_id;
    loan.source = "reported";
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        s << "SELECT id FROM enterprises WHERE uscc = :u", soci::use(uscc), soci::into(loan.enterprise_id);
        if (!s.got_data()) return Fail(Error::Field("uscc", "not_found", "借款企业尚未在平台登记"));
        long long existing = 0;
        s << "SELECT id FROM loans WHERE institution_id = :i AND loan_ref = :r", soci::use(loan.institution_id),
            soci::use(loan.loan_ref), soci::into(existing);
        long long id = existing;
        if (!s.got_data()) {
            auto inserted = InsertLoan(s, loan, now);
            if (!inserted) return Fail(inserted.error());
            id = *inserted;
        }
        storage::Query q(kSelect);
        q.Sql(" WHERE l.id = ").Bind(id);
        LoanRow row;
        std::string out;
        storage::ForEachRow(s, q, row, [&] { out = json::serialize(row.ToJson(OutstandingAsOf(s, id, loan.disbursed_on))); });
        return audit::Outcome{.entity_id = std::to_string(id), .after = out, .response = out,
                              .status = existing ? 200 : 201};
    });
}

Result<audit::Outcome> LoanService::Repay(const auth::Principal& viewer, const audit::Actor& actor, long long loan_id,
                                          const std::string& paid_on, long long principal_fen,
                                          const audit::Command& command) {
    if (!ParseIsoDate(paid_on)) return Fail(Error::Field("paid_on", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    if (principal_fen <= 0) return Fail(Error::Field("principal_fen", "out_of_range", "还款本金须大于 0"));
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        storage::Query q("SELECT COUNT(*) FROM loans l");
        q.Sql(" WHERE l.id = ").Bind(loan_id).Sql(" AND " + (viewer.institution_id ? Scope(viewer) : std::string("1=0")));
        if (storage::CountOf(s, q) == 0) return Fail(Error::NotFound("贷款不存在"));
        const std::string latest = "9999-12-31";
        if (principal_fen > OutstandingAsOf(s, loan_id, latest))
            return Fail(Error::Field("principal_fen", "exceeds_outstanding", "还款本金超过贷款余额"));
        std::string disbursed;
        s << "SELECT disbursed_on FROM loans WHERE id = :id", soci::use(loan_id), soci::into(disbursed);
        if (paid_on < disbursed) return Fail(Error::Field("paid_on", "before_disbursement", "还款日期早于放款日期"));
        long long id = 0;
        s << "INSERT INTO repayments (loan_id, paid_on, principal_fen, created_at) VALUES (:l, :p, :a, :t) RETURNING id",
            soci::use(loan_id), soci::use(paid_on), soci::use(principal_fen), soci::use(now), soci::into(id);
        const json::object after{{"id", id}, {"loan_id", loan_id}, {"paid_on", paid_on}, {"principal_fen", principal_fen},
                                 {"outstanding_fen", OutstandingAsOf(s, loan_id, latest)}};
        return audit::Outcome{.entity_id = std::to_string(loan_id), .after = json::serialize(after),
                              .response = json::serialize(after), .status = 201};
    });
}

Result<audit::Outcome> LoanService::RecordOutcome(const auth::Principal& viewer, const audit::Actor& actor,
                                                  long long loan_id, const std::string& outcome,
                                                  const std::string& as_of, const audit::Command& command) {
    if (!ParseIsoDate(as_of)) return Fail(Error::Field("as_of", "invalid_date", "日期格式应为 YYYY-MM-DD"));
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        storage::Query q("SELECT COUNT(*) FROM loans l");
        q.Sql(" WHERE l.id = ").Bind(loan_id).Sql(" AND " + (viewer.institution_id ? Scope(viewer) : std::string("1=0")));
        if (storage::CountOf(s, q) == 0) return Fail(Error::NotFound("贷款不存在"));
        std::string before, before_on, disbursed;
        s << "SELECT outcome, outcome_on, disbursed_on FROM loans WHERE id = :id", soci::use(loan_id), soci::into(before),
            soci::into(before_on), soci::into(disbursed);
        if (as_of < disbursed) return Fail(Error::Field("as_of", "before_disbursement", "日期早于放款日期"));
        s << "UPDATE loans SET outcome = :o, outcome_on = :d WHERE id = :id", soci::use(outcome), soci::use(as_of),
            soci::use(loan_id);
        const json::object after{{"id", loan_id}, {"outcome", outcome}, {"outcome_on", as_of}};
        return audit::Outcome{.entity_id = std::to_string(loan_id),
                              .before = json::serialize(json::object{{"outcome", before}, {"outcome_on", before_on}}),
                              .after = json::serialize(after), .response = json::serialize(after)};
    });
}

}  // namespace chanrong::finance
