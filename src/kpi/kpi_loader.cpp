#include "kpi/kpi_loader.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "common/time_format.hpp"

namespace chanrong::kpi {
namespace {

// A fact the store refuses (dated outside its window, a repayment beyond the amount …) is left out with a warning,
// the same way on a full load and on a catch-up, rather than failing the whole cockpit. Only the first 20 of a
// process and then every 10,000th are logged (with the running count): a million bad rows must not flood the log.
void LeaveOutIfRefused(const Status& added, std::string_view what, long long id) {
    static std::atomic<long long> refused{0};
    if (added) return;
    const long long n = ++refused;
    if (n <= 20 || n % 10'000 == 0)
        spdlog::warn("KPI: {} {} left out: {} ({} left out so far)", what, id, added.error().message, n);
}

// Code → dimension index for each breakdown, built from the reference tables.
struct Indexes {
    std::map<std::string, std::uint8_t> classes, districts, kinds, directories;

    static std::uint8_t Of(const std::map<std::string, std::uint8_t>& m, const std::string& code) {
        auto it = m.find(code);
        return it == m.end() ? kNone : it->second;
    }
};

std::vector<std::string> Column(soci::session& s, const std::string& sql) {
    std::vector<std::string> out;
    std::string value;
    soci::indicator ind = soci::i_ok;
    soci::statement st = (s.prepare << sql, soci::into(value, ind));
    st.execute();
    while (st.fetch())
        if (ind == soci::i_ok && !value.empty()) out.push_back(value);
    return out;
}

std::map<std::string, std::uint8_t> IndexOf(const std::vector<std::string>& codes) {
    std::map<std::string, std::uint8_t> out;
    for (const auto& c : codes) out.emplace(c, static_cast<std::uint8_t>(out.size()));
    return out;
}

Dimensions ReadDimensions(soci::session& s, Indexes& idx) {
    Dimensions d;
    d.classes446 = Column(s, "SELECT DISTINCT code FROM taxonomy_446 ORDER BY code");
    d.districts = Column(s, "SELECT name FROM districts ORDER BY sort");
    d.institution_kinds = Column(s, "SELECT DISTINCT kind FROM institutions ORDER BY kind");
    d.directories = Column(s, "SELECT code FROM directories ORDER BY id");
    if (d.directories.size() > kMaxDirectories) d.directories.resize(kMaxDirectories);
    idx.classes = IndexOf(d.classes446);
    idx.districts = IndexOf(d.districts);
    idx.kinds = IndexOf(d.institution_kinds);
    idx.directories = IndexOf(d.directories);
    return d;
}

struct Borrower {
    std::uint8_t class446 = kNone, district = kNone;
    bool small_micro = false;
    std::vector<DirectoryStayFact> stays;
    std::vector<std::pair<int, int>> specialized;  // [from, to) of 专精特新 / 小巨人 tags, to 0 when open
};

struct Context {
    Indexes idx;
    std::unordered_map<long long, Borrower> borrowers;
};

// Reads enterprises (those in `where` when given) as borrowers; adds them to the store when `store` is given.
void LoadEnterprises(soci::session& s, KpiStore* store, Context& ctx, const std::string& where = "") {
    long long id = 0, created = 0;
    std::string c446, district, size;
    soci::indicator ci = soci::i_ok, di = soci::i_ok;
    soci::statement st = (s.prepare << "SELECT id, created_at, industry_446, district, size_class FROM enterprises" + where,
                          soci::into(id), soci::into(created), soci::into(c446, ci), soci::into(district, di),
                          soci::into(size));
    st.execute();
    while (st.fetch()) {
        Borrower& b = ctx.borrowers[id];
        b.class446 = ci == soci::i_ok ? Indexes::Of(ctx.idx.classes, c446) : kNone;
        b.district = di == soci::i_ok ? Indexes::Of(ctx.idx.districts, district) : kNone;
        b.small_micro = size == "small" || size == "micro";
        if (!store) continue;
        LeaveOutIfRefused(store->AddEnterprise({id, DayOfTime(created), b.class446, b.district}), "enterprise", id);
    }
}

void LoadInstitutions(soci::session& s, KpiStore& store, const Context& ctx) {
    long long id = 0, created = 0;
    std::string kind, district;
    soci::indicator di = soci::i_ok;
    soci::statement st = (s.prepare << "SELECT id, created_at, kind, district FROM institutions", soci::into(id),
                          soci::into(created), soci::into(kind), soci::into(district, di));
    st.execute();
    while (st.fetch())
        LeaveOutIfRefused(store.AddInstitution({id, DayOfTime(created), Indexes::Of(ctx.idx.kinds, kind),
                                                di == soci::i_ok ? Indexes::Of(ctx.idx.districts, district) : kNone}),
                          "institution", id);
}

void LoadStays(soci::session& s, KpiStore* store, Context& ctx, const std::string& where = "") {
    std::string code, from, to;
    soci::indicator ti = soci::i_ok, ei = soci::i_ok;
    long long enterprise = 0;
    soci::statement st = (s.prepare << "SELECT d.code, e.enterprise_id, e.effective_from, e.effective_to FROM "
                                       "directory_entries e JOIN directories d ON d.id = e.directory_id" + where,
                          soci::into(code), soci::into(enterprise, ei), soci::into(from), soci::into(to, ti));
    st.execute();
    while (st.fetch()) {
        const std::uint8_t dir = Indexes::Of(ctx.idx.directories, code);
        if (dir == kNone) continue;
        Borrower* b = ei == soci::i_ok ? &ctx.borrowers[enterprise] : nullptr;
        DirectoryStayFact stay{dir, DayOf(from), ti == soci::i_ok ? DayOf(to) : 0, b ? b->class446 : kNone,
                               b ? b->district : kNone};
        if (stay.to != 0 && stay.to <= stay.from) continue;
        if (store) LeaveOutIfRefused(store->AddDirectoryStay(stay), "directory stay of enterprise", enterprise);
        if (b) b->stays.push_back(stay);
    }
}

void LoadSpecializedTags(soci::session& s, Context& ctx, const std::string& where = "") {
    long long enterprise = 0;
    std::string from, to;
    soci::statement st = (s.prepare << "SELECT enterprise_id, valid_from, valid_to FROM enterprise_tags WHERE tag IN "
                                       "('specialized', 'little_giant') AND revoked_at IS NULL" + where,
                          soci::into(enterprise), soci::into(from), soci::into(to));
    st.execute();
    while (st.fetch()) ctx.borrowers[enterprise].specialized.emplace_back(DayOf(from), DayOf(to));
}

std::uint32_t FlagsOf(const int (&is)[8], const Borrower& b, int day) {
    std::uint32_t flags = 0;
    for (int i = 0; i < 8; ++i)
        if (is[i]) flags |= 1u << i;  // the LoanFlag bits mirror the is_* columns in this order
    if (b.small_micro) flags |= kBorrowerSmallMicro;
    for (const auto& [from, to] : b.specialized)
        if (from <= day && (to == 0 || day < to)) flags |= kBorrowerSpecialized;
    return flags;
}

// The loans in `loans_where` with their repayments in `repayments_where`, as facts with their borrower's attributes.
std::unordered_map<long long, LoanFact> ReadLoans(soci::session& s, Context& ctx, const std::string& loans_where,
                                                  const std::string& repayments_where) {
    std::unordered_map<long long, LoanFact> loans;
    LoanFact f;
    std::string disbursed, maturity;
    int is[8] = {};
    soci::statement st = (s.prepare << "SELECT id, institution_id, enterprise_id, amount_fen, disbursed_on, maturity_on, "
                                       "is_credit, is_first_loan, is_mid_long, is_inclusive_small, is_mfg_borrower, "
                                       "is_mfg_use, is_green, is_tech FROM loans WHERE " + loans_where,
                          soci::into(f.loan_id), soci::into(f.institution_id), soci::into(f.enterprise_id),
                          soci::into(f.amount_fen), soci::into(disbursed), soci::into(maturity), soci::into(is[0]),
                          soci::into(is[1]), soci::into(is[2]), soci::into(is[3]), soci::into(is[4]), soci::into(is[5]),
                          soci::into(is[6]), soci::into(is[7]));
    st.execute();
    while (st.fetch()) {
        const Borrower& b = ctx.borrowers[f.enterprise_id];
        f.disbursed_on = DayOf(disbursed);
        f.maturity_on = std::max(DayOf(maturity), f.disbursed_on);
        f.flags = FlagsOf(is, b, f.disbursed_on);
        f.class446 = b.class446;
        f.district = b.district;
        f.directories = DirectoryMaskOn(b.stays, f.disbursed_on);
        loans.emplace(f.loan_id, f);
    }
    if (repayments_where.empty()) return loans;
    long long loan = 0;
    RepaymentFact r;
    std::string paid;
    soci::statement rp = (s.prepare << "SELECT loan_id, paid_on, principal_fen FROM repayments WHERE " + repayments_where +
                                           " ORDER BY id",
                          soci::into(loan), soci::into(paid), soci::into(r.principal_fen));
    rp.execute();
    while (rp.fetch()) {
        r.paid_on = DayOf(paid);
        if (auto it = loans.find(loan); it != loans.end()) it->second.repayments.push_back(r);
    }
    return loans;
}

void LoadEventsAndReports(soci::session& s, KpiStore& store) {
    long long id = 0, fen = 0;
    std::string held;
    soci::statement ev = (s.prepare << "SELECT id, held_on, financing_fen FROM matchmaking_events", soci::into(id),
                          soci::into(held), soci::into(fen));
    ev.execute();
    while (ev.fetch())
        LeaveOutIfRefused(store.AddEvent({id, DayOf(held), fen}), "event", id);
    std::string indicator, as_of, by;
    long long value = 0;
    soci::statement rep = (s.prepare << "SELECT indicator_id, as_of, value, filed_by_name FROM kpi_reported WHERE status "
                                        "= 'confirmed' ORDER BY decided_at, id",
                           soci::into(indicator), soci::into(as_of), soci::into(value), soci::into(by));
    rep.execute();
    while (rep.fetch())
        LeaveOutIfRefused(store.AddReported({indicator, DayOf(as_of), value, by}), "reported figure of", 0);
}

}  // namespace

int DayOf(const std::string& iso_date) {
    int y = 0, m = 0, d = 0;
    if (iso_date.size() < 10 || std::sscanf(iso_date.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return 0;
    return y * 10000 + m * 100 + d;
}

int DayOfTime(TimestampMs t) { return DayOf(FormatIsoUtc(t).substr(0, 10)); }

Watermarks ReadWatermarks(soci::session& s) {
    Watermarks w;
    soci::indicator i1 = soci::i_ok, i2 = soci::i_ok;
    s << "SELECT MAX(id) FROM loans", soci::into(w.loan_id, i1);
    s << "SELECT MAX(id) FROM repayments", soci::into(w.repayment_id, i2);
    if (i1 != soci::i_ok) w.loan_id = 0;
    if (i2 != soci::i_ok) w.repayment_id = 0;
    const char* sources[] = {
        "SELECT COALESCE(MAX(id), 0) + COALESCE(MAX(updated_at), 0) FROM enterprises",
        "SELECT COALESCE(MAX(id), 0) + COALESCE(MAX(updated_at), 0) FROM institutions",
        "SELECT COALESCE(MAX(id), 0) + COALESCE(MAX(updated_at), 0) FROM directory_entries",
        "SELECT COALESCE(MAX(id), 0) + COALESCE(MAX(created_at), 0) FROM enterprise_tags",
        "SELECT COALESCE(MAX(id), 0) + COALESCE(MAX(updated_at), 0) FROM matchmaking_events",
        "SELECT COALESCE(MAX(id), 0) + COALESCE(MAX(decided_at), 0) FROM kpi_reported",
        "SELECT COUNT(*) FROM enterprise_tags WHERE revoked_at IS NOT NULL"};
    for (const char* sql : sources) {
        long long v = 0;
        s << sql, soci::into(v);
        w.others += std::to_string(v) + ";";
    }
    return w;
}

Result<std::unique_ptr<KpiStore>> LoadStore(soci::session& s, const Watermarks& marks) {
    Context ctx;
    auto store = KpiStore::Create({ReadDimensions(s, ctx.idx)});
    if (!store) return Fail(store.error());
    auto out = std::make_unique<KpiStore>(std::move(*store));
    out->BeginBatch();
    LoadEnterprises(s, out.get(), ctx);
    LoadInstitutions(s, *out, ctx);
    LoadStays(s, out.get(), ctx);
    LoadSpecializedTags(s, ctx);
    const std::string upto = std::to_string(marks.loan_id);
    for (const auto& [id, loan] : ReadLoans(s, ctx, "id <= " + upto, "loan_id <= " + upto + " AND id <= " +
                                                                         std::to_string(marks.repayment_id)))
        LeaveOutIfRefused(out->AddLoan(loan), "loan", id);
    LoadEventsAndReports(s, *out);
    out->EndBatch();
    return out;
}

Status CatchUp(soci::session& s, KpiStore& store, const Watermarks& from, const Watermarks& to) {
    const std::string new_loans = "id > " + std::to_string(from.loan_id) + " AND id <= " + std::to_string(to.loan_id);
    const std::string new_repayments =
        "id > " + std::to_string(from.repayment_id) + " AND id <= " + std::to_string(to.repayment_id);
    // The borrowers concerned: of new loans, and of older loans with new repayments.
    const std::string borrowers = " WHERE id IN (SELECT enterprise_id FROM loans WHERE " + new_loans +
                                  " OR id IN (SELECT loan_id FROM repayments WHERE " + new_repayments + "))";
    Context ctx;
    const Dimensions& d = store.dimensions();
    ctx.idx = {IndexOf(d.classes446), IndexOf(d.districts), IndexOf(d.institution_kinds), IndexOf(d.directories)};
    LoadEnterprises(s, nullptr, ctx, borrowers);
    const std::string members = " AND e.enterprise_id IN (SELECT id FROM enterprises" + borrowers + ")";
    LoadStays(s, nullptr, ctx, " WHERE 1 = 1" + members);
    LoadSpecializedTags(s, ctx, " AND enterprise_id IN (SELECT id FROM enterprises" + borrowers + ")");
    for (const auto& [id, loan] : ReadLoans(s, ctx, new_loans, "loan_id IN (SELECT id FROM loans WHERE " + new_loans +
                                                                   ") AND id <= " + std::to_string(to.repayment_id)))
        LeaveOutIfRefused(store.AddLoan(loan), "loan", id);
    const std::string older = "id <= " + std::to_string(from.loan_id) + " AND id IN (SELECT loan_id FROM repayments WHERE " +
                              new_repayments + ")";
    const auto loans = ReadLoans(s, ctx, older, "");
    long long loan = 0, principal = 0;
    std::string paid;
    soci::statement rp = (s.prepare << "SELECT loan_id, paid_on, principal_fen FROM repayments WHERE " + new_repayments +
                                           " AND loan_id <= " + std::to_string(from.loan_id) + " ORDER BY id",
                          soci::into(loan), soci::into(paid), soci::into(principal));
    rp.execute();
    while (rp.fetch())
        if (auto it = loans.find(loan); it != loans.end())
            LeaveOutIfRefused(store.AddRepayment(it->second, {DayOf(paid), principal}), "repayment of loan", loan);
    return {};
}

}  // namespace chanrong::kpi
