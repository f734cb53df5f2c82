#include "finance/campaign_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include "common/json_out.hpp"
#include "common/money.hpp"
#include "common/time_format.hpp"
#include "finance/working_calendar.hpp"
#include "storage/row.hpp"

namespace chanrong::finance {
namespace json = boost::json;
namespace {

struct Campaign {
    long long id = 0, directory_id = 0;
    std::string title, directory, opened, deadline, status;
    storage::NullableInt pushed;
    long long targets = 0, answered = 0;
};

std::optional<Campaign> Load(soci::session& s, long long id) {
    Campaign c;
    s << "SELECT c.id, c.title, c.directory_id, d.name, c.opened_on, c.deadline, c.status, c.pushed_at FROM campaigns c "
         "JOIN directories d ON d.id = c.directory_id WHERE c.id = :id",
        soci::use(id), soci::into(c.id), soci::into(c.title), soci::into(c.directory_id), soci::into(c.directory),
        soci::into(c.opened), soci::into(c.deadline), soci::into(c.status), soci::into(c.pushed.value, c.pushed.ind);
    if (!s.got_data()) return std::nullopt;
    s << "SELECT COUNT(*) FROM campaign_targets WHERE campaign_id = :id", soci::use(id), soci::into(c.targets);
    s << "SELECT COUNT(DISTINCT t.enterprise_id) FROM campaign_targets t JOIN demands m ON m.enterprise_id = "
         "t.enterprise_id AND m.campaign_id = t.campaign_id WHERE t.campaign_id = :id",
        soci::use(id), soci::into(c.answered);
    return c;
}

json::object ToJson(const Campaign& c, const std::string& today) {
    return {{"id", c.id}, {"title", c.title}, {"directory_id", c.directory_id}, {"directory_name", c.directory},
            {"opened_on", c.opened}, {"deadline", c.deadline}, {"status", c.status},
            {"pushed_at", OptionalTime(c.pushed.get())}, {"targets", c.targets}, {"answered", c.answered},
            {"completion", c.targets ? json::value(static_cast<double>(c.answered) / c.targets) : json::value(nullptr)},
            {"past_deadline", today > c.deadline}};
}

}  // namespace

Result<json::object> CampaignService::List(const auth::Principal& viewer) {
    const std::string today = TodayIso(clock_);
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        std::vector<long long> ids;
        long long id = 0;
        const std::string sql = viewer.enterprise_id
                                    ? "SELECT campaign_id FROM campaign_targets WHERE enterprise_id = " +
                                          std::to_string(*viewer.enterprise_id) + " ORDER BY campaign_id DESC"
                                    : "SELECT id FROM campaigns ORDER BY id DESC";
        soci::statement st = (s.prepare << sql, soci::into(id));
        st.execute();
        while (st.fetch()) ids.push_back(id);
        json::array items;
        for (long long c : ids) {
            json::object item = ToJson(*Load(s, c), today);
            if (viewer.enterprise_id) {
                long long mine = 0;
                s << "SELECT COUNT(*) FROM demands WHERE campaign_id = :c AND enterprise_id = :e", soci::use(c),
                    soci::use(*viewer.enterprise_id), soci::into(mine);
                item["answered_by_me"] = mine > 0;
            }
            items.push_back(std::move(item));
        }
        const long long n = static_cast<long long>(items.size());
        return PageJson(std::move(items), n, 0, n);
    });
}

Result<json::object> CampaignService::Get(long long id) {
    const std::string today = TodayIso(clock_);
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        auto c = Load(s, id);
        if (!c) return Fail(Error::NotFound("征集活动不存在"));
        json::object out = ToJson(*c, today);
        long long enterprise = 0, demands = 0;
        int reminders = 0;
        std::string name;
        soci::statement st = (s.prepare << "SELECT t.enterprise_id, e.name, t.reminders, (SELECT COUNT(*) FROM demands m "
                                           "WHERE m.enterprise_id = t.enterprise_id AND m.campaign_id = t.campaign_id) "
                                           "FROM campaign_targets t JOIN enterprises e ON e.id = t.enterprise_id "
                                           "WHERE t.campaign_id = :c ORDER BY e.name",
                              soci::use(id), soci::into(enterprise), soci::into(name), soci::into(reminders),
                              soci::into(demands));
        st.execute();
        json::array targets;
        while (st.fetch())
            targets.push_back(json::object{{"enterprise_id", enterprise}, {"enterprise_name", name},
                                           {"answered", demands > 0}, {"demands", demands}, {"reminders", reminders}});
        out["target_list"] = std::move(targets);
        return out;
    });
}

Result<audit::Outcome> CampaignService::Open(const audit::Actor& actor, const std::string& title, long long directory_id,
                                             const std::string& deadline, const audit::Command& command) {
    const std::string today = TodayIso(clock_);
    if (!ParseIsoDate(deadline) || deadline < today)
        return Fail(Error::Field("deadline", "invalid_date", "截止日期应为不早于今天的 YYYY-MM-DD"));
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        std::string kind;
        s << "SELECT member_kind FROM directories WHERE id = :d", soci::use(directory_id), soci::into(kind);
        if (!s.got_data()) return Fail(Error::Field("directory_id", "not_found", "名录不存在"));
        if (kind != "enterprise") return Fail(Error::Field("directory_id", "not_enterprise", "只能面向企业名录征集"));
        auto by = storage::Nullable(actor.user_id);
        long long id = 0;
        s << "INSERT INTO campaigns (title, directory_id, opened_on, deadline, created_by, created_at, updated_at) VALUES "
             "(:t, :d, :o, :dl, :b, :n1, :n2) RETURNING id",
            soci::use(title), soci::use(directory_id), soci::use(today), soci::use(deadline), soci::use(by.value, by.ind),
            soci::use(now), soci::use(now), soci::into(id);
        s << "INSERT INTO campaign_targets (campaign_id, enterprise_id) SELECT DISTINCT CAST(:c AS BIGINT), enterprise_id FROM "
             "directory_entries WHERE directory_id = :d AND enterprise_id IS NOT NULL AND effective_from <= :t1 AND "
             "(effective_to IS NULL OR effective_to > :t2)",
            soci::use(id), soci::use(directory_id), soci::use(today), soci::use(today);
        const std::string after = json::serialize(ToJson(*Load(s, id), today));
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after, .status = 201};
    });
}

Result<audit::Outcome> CampaignService::Remind(const audit::Actor& actor, long long id, const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto c = Load(s, id);
        if (!c) return Fail(Error::NotFound("征集活动不存在"));
        if (c->status != "open") return Fail(Error::Conflict("征集已结束"));
        soci::statement st = (s.prepare << "UPDATE campaign_targets SET reminders = reminders + 1, last_reminded_at = :t "
                                           "WHERE campaign_id = :c AND NOT EXISTS (SELECT 1 FROM demands m WHERE "
                                           "m.enterprise_id = campaign_targets.enterprise_id AND m.campaign_id = :c2)",
                              soci::use(now), soci::use(id), soci::use(id));
        st.execute(true);
        const json::object after{{"reminded", static_cast<long long>(st.get_affected_rows())}};
        return audit::Outcome{.entity_id = std::to_string(id), .after = json::serialize(after),
                              .response = json::serialize(after)};
    });
}

Result<audit::Outcome> CampaignService::Push(const audit::Actor& actor, long long id, const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    const std::string today = TodayIso(clock_);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto c = Load(s, id);
        if (!c) return Fail(Error::NotFound("征集活动不存在"));
        if (c->pushed.get()) return Fail(Error::Conflict("已推送给金融机构"));
        s << "UPDATE campaigns SET status = 'closed', pushed_at = :t, updated_at = :t2 WHERE id = :id", soci::use(now),
            soci::use(now), soci::use(id);
        const std::string after = json::serialize(ToJson(*Load(s, id), today));
        return audit::Outcome{.entity_id = std::to_string(id), .after = after, .response = after};
    });
}

Status CampaignService::ExportNeeds(long long id, TableWriter& writer) {
    return db_.Read([&](soci::session& s) -> Status {
        long long amount = 0;
        int term = 0;
        std::string uscc, name, district, purpose, collateral, guarantee, urgency, description;
        soci::statement st = (s.prepare << "SELECT e.uscc, e.name, e.district, m.amount_fen, m.term_months, m.purpose, "
                                           "m.collateral, m.guarantee, m.urgency, m.description FROM demands m JOIN "
                                           "enterprises e ON e.id = m.enterprise_id WHERE m.campaign_id = :c ORDER BY m.id",
                              soci::use(id), soci::into(uscc), soci::into(name), soci::into(district), soci::into(amount),
                              soci::into(term), soci::into(purpose), soci::into(collateral), soci::into(guarantee),
                              soci::into(urgency), soci::into(description));
        st.execute();
        while (st.fetch())
            writer.Add({uscc, name, district, FormatYuan(Fen{amount}), std::to_string(term), purpose, collateral, guarantee,
                        urgency, description});
        return {};
    });
}

}  // namespace chanrong::finance
