#include "credit/whitelist_service.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include "common/json_out.hpp"
#include "common/time_format.hpp"
#include "credit/whitelist_rules.hpp"
#include "registry/directory_service.hpp"
#include "storage/query.hpp"
#include "storage/row.hpp"

namespace chanrong::credit {
namespace json = boost::json;
namespace {

Result<WhitelistRules> CurrentRules(soci::session& s) {
    std::string body;
    s << "SELECT body FROM whitelist_rule_sets ORDER BY created_at DESC, version DESC LIMIT 1", soci::into(body);
    if (!s.got_data()) return Fail(Error::FailedPrecondition("尚未配置白名单规则"));
    return ParseWhitelistRules(body);
}

json::array ChecksJson(const std::vector<RuleCheck>& checks) {
    json::array out;
    for (const auto& c : checks)
        out.push_back({{"code", c.rule->code}, {"name", c.rule->name}, {"value", c.rule->value}, {"passed", c.passed}});
    return out;
}

struct Candidate {
    long long id = 0, enterprise_id = 0, score_id = 0;
    std::string status, grade, rule_version, checks;
    storage::NullableInt proposed_by;
};

std::optional<Candidate> LoadCandidate(soci::session& s, long long id) {
    Candidate c;
    s << "SELECT id, enterprise_id, score_id, status, grade, rule_version, checks, proposed_by FROM whitelist_candidates "
         "WHERE id = :id",
        soci::use(id), soci::into(c.id), soci::into(c.enterprise_id), soci::into(c.score_id), soci::into(c.status),
        soci::into(c.grade), soci::into(c.rule_version), soci::into(c.checks),
        soci::into(c.proposed_by.value, c.proposed_by.ind);
    if (!s.got_data()) return std::nullopt;
    return c;
}

Result<Candidate> ProposedCandidate(soci::session& s, long long id) {
    auto c = LoadCandidate(s, id);
    if (!c) return Fail(Error::NotFound("候选企业不存在"));
    if (c->status != "proposed") return Fail(Error::Conflict("该候选已处理（" + c->status + "）"));
    return *c;
}

}  // namespace

Result<json::object> WhitelistService::Rules() {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        auto rules = CurrentRules(s);
        if (!rules) return Fail(rules.error());
        json::array items;
        for (const auto& r : rules->rules) items.push_back({{"code", r.code}, {"name", r.name}, {"value", r.value}});
        return json::object{{"version", rules->version}, {"name", rules->name}, {"directory", rules->directory},
                            {"rules", std::move(items)}};
    });
}

Result<audit::Outcome> WhitelistService::Run(const audit::Actor& actor, const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    const std::string today = TodayIso(clock_);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto rules = CurrentRules(s);
        if (!rules) return Fail(rules.error());
        long long directory = 0, score_id = 0, enterprise = 0, proposed = 0, checked = 0;
        s << "SELECT id FROM directories WHERE code = :c", soci::use(rules->directory), soci::into(directory);
        if (!s.got_data()) return Fail(Error::FailedPrecondition("白名单名录不存在：" + rules->directory));
        std::string grade, inputs, class446, size;
        soci::indicator class_ind = soci::i_ok;
        std::vector<std::tuple<long long, long long, std::string, std::string>> passing;
        soci::statement st = (s.prepare << "SELECT c.id, c.enterprise_id, c.grade, c.inputs, e.industry_446, e.size_class "
                                           "FROM credit_scores c JOIN enterprises e ON e.id = c.enterprise_id WHERE "
                                           "c.is_current = 1 AND NOT EXISTS (SELECT 1 FROM whitelist_candidates w WHERE "
                                           "w.enterprise_id = c.enterprise_id AND w.status = 'proposed') AND NOT EXISTS "
                                           "(SELECT 1 FROM directory_entries d WHERE d.directory_id = :d AND d.enterprise_id "
                                           "= c.enterprise_id AND d.effective_from <= :t1 AND (d.effective_to IS NULL OR "
                                           "d.effective_to > :t2)) ORDER BY c.enterprise_id",
                              soci::use(directory), soci::use(today), soci::use(today), soci::into(score_id),
                              soci::into(enterprise), soci::into(grade), soci::into(inputs), soci::into(class446, class_ind),
                              soci::into(size));
        st.execute();
        while (st.fetch()) {
            ++checked;
            WhitelistFacts facts{grade, {}, class_ind == soci::i_ok ? class446 : "", size};
            const json::value parsed = json::parse(inputs);
            for (const auto& flag : parsed.at("red_flags").as_array()) facts.red_flags.emplace(flag.as_string());
            const auto checks = CheckWhitelist(*rules, facts);
            if (AllPassed(checks)) passing.emplace_back(score_id, enterprise, grade, json::serialize(ChecksJson(checks)));
        }
        auto by = storage::Nullable(actor.user_id);
        for (const auto& [score, ent, g, checks] : passing) {
            s << "INSERT INTO whitelist_candidates (run_at, enterprise_id, rule_version, score_id, grade, checks, "
                 "proposed_by, proposed_by_name) VALUES (:t, :e, :v, :s, :g, :c, :b, :n)",
                soci::use(now), soci::use(ent), soci::use(rules->version), soci::use(score), soci::use(g), soci::use(checks),
                soci::use(by.value, by.ind), soci::use(actor.name);
            ++proposed;
        }
        const std::string after = json::serialize(
            json::object{{"rule_version", rules->version}, {"checked", checked}, {"proposed", proposed}});
        return audit::Outcome{.entity_id = rules->version, .after = after, .response = after, .status = 201};
    });
}

Result<json::object> WhitelistService::Candidates(const std::optional<std::string>& status, long long offset,
                                                  long long limit) {
    return db_.Read([&](soci::session& s) -> Result<json::object> {
        storage::Query q("SELECT w.id, w.enterprise_id, e.name, e.uscc, w.grade, c.score, w.rule_version, w.checks, "
                         "w.status, w.proposed_by_name, w.run_at, w.decided_by_name, w.decided_at, w.note FROM "
                         "whitelist_candidates w JOIN enterprises e ON e.id = w.enterprise_id JOIN credit_scores c ON "
                         "c.id = w.score_id");
        storage::Query count("SELECT COUNT(*) FROM whitelist_candidates w");
        for (storage::Query* query : {&q, &count})
            if (status) query->Sql(" WHERE w.status = ").Bind(*status);
        q.Sql(" ORDER BY w.id DESC LIMIT ").Bind(limit).Sql(" OFFSET ").Bind(offset);
        struct Row {
            long long id = 0, enterprise = 0, score = 0, run_at = 0;
            storage::NullableInt decided_at;
            std::string name, uscc, grade, version, checks, status, proposer, decider, note;
            void Into(soci::statement& st) {
                st.exchange(soci::into(id)), st.exchange(soci::into(enterprise)), st.exchange(soci::into(name));
                st.exchange(soci::into(uscc)), st.exchange(soci::into(grade)), st.exchange(soci::into(score));
                st.exchange(soci::into(version)), st.exchange(soci::into(checks)), st.exchange(soci::into(status));
                st.exchange(soci::into(proposer)), st.exchange(soci::into(run_at)), st.exchange(soci::into(decider));
                st.exchange(soci::into(decided_at.value, decided_at.ind)), st.exchange(soci::into(note));
            }
        } row;
        json::array items;
        storage::ForEachRow(s, q, row, [&] {
            items.push_back({{"id", row.id}, {"enterprise_id", row.enterprise}, {"enterprise_name", row.name},
                             {"uscc", row.uscc}, {"grade", row.grade}, {"score", row.score},
                             {"rule_version", row.version}, {"checks", json::parse(row.checks)}, {"status", row.status},
                             {"proposed_by", row.proposer}, {"proposed_at", OptionalTime(row.run_at)},
                             {"decided_by", row.decider}, {"decided_at", OptionalTime(row.decided_at.get())},
                             {"note", row.note}});
        });
        return PageJson(std::move(items), storage::CountOf(s, count), offset, limit);
    });
}

Result<audit::Outcome> WhitelistService::Approve(const audit::Actor& actor, long long id, const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    const std::string today = TodayIso(clock_);
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto c = ProposedCandidate(s, id);
        if (!c) return Fail(c.error());
        if (!actor.user_id || c->proposed_by.get() == actor.user_id)
            return Fail(Error::PermissionDenied("不能审核自己提出的白名单候选，须由另一名工作人员复核"));
        auto rules = CurrentRules(s);
        if (!rules) return Fail(rules.error());
        long long directory = 0;
        s << "SELECT id FROM directories WHERE code = :c", soci::use(rules->directory), soci::into(directory);
        const std::string evidence = json::serialize(json::object{
            {"rule_version", c->rule_version}, {"score_id", c->score_id}, {"grade", c->grade}, {"checks", json::parse(c->checks)}});
        registry::EntryInput entry{c->enterprise_id, std::nullopt, "", today,
                                   "符合白名单准入规则（" + c->rule_version + "）", evidence};
        auto entry_id = registry::InsertEntry(s, directory, entry, *actor.user_id, now);
        if (!entry_id) return Fail(entry_id.error());
        s << "UPDATE whitelist_candidates SET status = 'approved', decided_by = :u, decided_by_name = :n, decided_at = :t, "
             "entry_id = :e WHERE id = :id",
            soci::use(*actor.user_id), soci::use(actor.name), soci::use(now), soci::use(*entry_id), soci::use(id);
        const std::string after = json::serialize(json::object{{"id", id}, {"status", "approved"}, {"entry_id", *entry_id}});
        return audit::Outcome{.entity_id = std::to_string(id), .before = R"({"status":"proposed"})", .after = after,
                              .response = after};
    });
}

Result<audit::Outcome> WhitelistService::Reject(const audit::Actor& actor, long long id, const std::string& note,
                                                const audit::Command& command) {
    const TimestampMs now = clock_.NowMs();
    return pipeline_.Execute(actor, command, [&](soci::session& s) -> Result<audit::Outcome> {
        auto c = ProposedCandidate(s, id);
        if (!c) return Fail(c.error());
        auto by = storage::Nullable(actor.user_id);
        s << "UPDATE whitelist_candidates SET status = 'rejected', decided_by = :u, decided_by_name = :n, decided_at = :t, "
             "note = :note WHERE id = :id",
            soci::use(by.value, by.ind), soci::use(actor.name), soci::use(now), soci::use(note), soci::use(id);
        const std::string after = json::serialize(json::object{{"id", id}, {"status", "rejected"}, {"note", note}});
        return audit::Outcome{.entity_id = std::to_string(id), .before = R"({"status":"proposed"})", .after = after,
                              .response = after};
    });
}

}  // namespace chanrong::credit
