#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <random>
#include <set>

#include "auth/user_service.hpp"
#include "common/json_input.hpp"
#include "common/money.hpp"
#include "common/time_format.hpp"
#include "common/uscc.hpp"
#include "http/application.hpp"
#include "storage/testing.hpp"

namespace chanrong {
extern const std::vector<std::pair<std::string_view, std::string_view>> kEmbeddedData;
}

namespace chanrong::http {
namespace {
namespace json = boost::json;

TEST(ErrorMapping, EveryCodeHasItsStatus) {
    EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidArgument), 400);
    EXPECT_EQ(HttpStatusFor(ErrorCode::kUnauthenticated), 401);
    EXPECT_EQ(HttpStatusFor(ErrorCode::kPermissionDenied), 403);
    EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), 404);
    EXPECT_EQ(HttpStatusFor(ErrorCode::kConflict), 409);
    EXPECT_EQ(HttpStatusFor(ErrorCode::kPayloadTooLarge), 413);
    EXPECT_EQ(HttpStatusFor(ErrorCode::kFailedPrecondition), 422);
    EXPECT_EQ(HttpStatusFor(ErrorCode::kResourceExhausted), 429);
    EXPECT_EQ(HttpStatusFor(ErrorCode::kUnavailable), 503);
    EXPECT_EQ(HttpStatusFor(ErrorCode::kInternal), 500);
    auto body = json::parse(ErrorResponse(Error::Field("amount", "required", "必填"), "rid").body).as_object();
    EXPECT_EQ(body["error"].as_object()["fields"].as_array()[0].as_object()["field"], "amount");
    EXPECT_EQ(body["request_id"], "rid");
}

TEST(Query, DecodesAndTolerantOfJunk) {
    auto q = ParseQuery("q=%E5%8E%A6%E9%97%A8&a=1+2&bad=%zz&&flag");
    EXPECT_EQ(q["q"], "厦门");
    EXPECT_EQ(q["a"], "1 2");
    EXPECT_EQ(q["bad"], "%zz");
    EXPECT_EQ(q["flag"], "");
}

class RouterTest : public ::testing::Test {
protected:
    void SetUp() override {
        Config config;
        config.database = storage::testing::FreshDatabase("sqlite");
        config.log.access_log = false;
        config.server.max_body_bytes = 4096;
        auto app = Application::Create(config, std::make_unique<ManualClock>(1'700'000'000'000));
        ASSERT_TRUE(app) << app.error().message;
        app_ = std::move(*app);
        auto& s = app_->services();
        ASSERT_TRUE(auth::CreateFirstAdmin({s.db, s.clock, s.config.auth, s.pipeline}, "root", "Root", "Strong-Passw0rd"));
        auto login = Call("POST", "/api/v1/auth/login", R"({"username":"root","password":"Strong-Passw0rd"})");
        ASSERT_EQ(login.status, 200) << login.body;
        token_ = std::string(json::parse(login.body).as_object()["token"].as_string());
    }

    Response Call(const std::string& method, const std::string& path, const std::string& body = "",
                  bool authenticated = false) {
        Request r;
        r.method = method;
        r.path = path.substr(0, path.find('?'));
        if (path.find('?') != std::string::npos) r.query = ParseQuery(path.substr(path.find('?') + 1));
        r.body = body;
        r.remote_ip = "127.0.0.1";
        if (authenticated) r.headers.emplace_back("authorization", "Bearer " + token_);
        return app_->router().Dispatch(r);
    }

    std::unique_ptr<Application> app_;
    std::string token_;
};

TEST_F(RouterTest, OpenApiDescribesEveryRoute) {
    std::string_view text;
    for (const auto& [name, content] : kEmbeddedData)
        if (name == "openapi.json") text = content;
    auto doc = json::parse(text).as_object();
    std::set<std::string> documented, registered;
    for (const auto& [path, item] : doc["paths"].as_object())
        for (const auto& [method, _] : item.as_object()) {
            std::string m(method);
            std::transform(m.begin(), m.end(), m.begin(), ::toupper);
            if (m != "PARAMETERS") documented.insert(m + " " + std::string(path));
        }
    for (const auto& route : app_->router().routes()) registered.insert(route.method + " " + route.pattern);
    EXPECT_EQ(documented, registered);
}

TEST_F(RouterTest, UnknownRoutesAndMethodsAreJson404) {
    auto missing = Call("GET", "/api/v1/nothing", "", true);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(json::parse(missing.body).as_object()["error"].as_object()["code"], "not_found");
    EXPECT_EQ(Call("PUT", "/api/v1/users", "", true).status, 404);
}

TEST_F(RouterTest, AuthenticationAndPermissionAreChecked) {
    EXPECT_EQ(Call("GET", "/api/v1/users").status, 401);
    EXPECT_EQ(Call("GET", "/api/v1/users", "", true).status, 200);
    Request r;
    r.method = "GET";
    r.path = "/api/v1/auth/me";
    r.headers.emplace_back("cookie", "theme=dark; chanrong_session=" + token_);
    EXPECT_EQ(app_->router().Dispatch(r).status, 200) << "the session cookie authenticates too";
}

TEST_F(RouterTest, OversizedBodyIs413) {
    auto r = Call("POST", "/api/v1/departments", R"({"name":")" + std::string(5000, 'x') + R"("})", true);
    EXPECT_EQ(r.status, 413);
}

TEST_F(RouterTest, MalformedInputNamesTheField) {
    auto bad = Call("POST", "/api/v1/departments", R"({"name":1,"code":"a","colour":"red"})", true);
    ASSERT_EQ(bad.status, 400);
    auto fields = json::parse(bad.body).as_object()["error"].as_object()["fields"].as_array();
    std::set<std::string> names;
    for (const auto& f : fields) names.insert(std::string(f.as_object().at("field").as_string()));
    EXPECT_EQ(names, (std::set<std::string>{"name", "colour"}));
    EXPECT_EQ(Call("GET", "/api/v1/users?limit=0", "", true).status, 400);
    EXPECT_EQ(Call("GET", "/api/v1/users/abc", "", true).status, 400);
}

// Random bytes and mutated JSON at every write endpoint: never a 5xx, never an exception.
TEST_F(RouterTest, FuzzedBodiesNeverCauseServerErrors) {
    std::mt19937 rng(20261121);
    const std::vector<std::string> seeds = {
        R"({"username":"u1","display_name":"D","password":"Strong-Passw0rd9","role_ids":[1]})",
        R"({"name":"n","code":"c","parent_id":null,"sort":1})",
        R"({"code":"r","name":"n","kind":"government","data_scope":"custom","permissions":["user:read"],"custom_department_ids":[1]})",
        R"({"username":"root","password":"x"})", R"({"name":"k","expires_in_days":3})",
        R"({"code":"P1","reason":"r"})", R"({"tag":"high_tech","valid_from":"2024-01-01","evidence":"e"})",
        R"({"enterprise_id":1,"effective_from":"2025-01-01","reason":"r","layer":""})",
        R"({"effective_to":"2025-02-01","reason":"r"})", R"({"employees":5,"revenue_fen":100})",
        R"({"uscc":"91350200776049653A","name":"n","district":"思明区","industry_code":"C3974"})",
        R"({"source":"s","strict":true,"records":[{"uscc":"91350200776049653A","type":"tax_grade","occurred_on":"2025-12-31","value":"A","amount_fen":100}]})",
        R"({"indicator_id":"fund_count","period":"2026-10","value":3,"corrects_id":1})",
        R"({"title":"t","held_on":"2026-01-01","organiser":"o","financing_fen":5})", R"({"period":"2026-10"})",
        R"({"comparator":">=","target_value":5,"reason":"r","commentary":"c"})", R"({"campaign_id":1,"institution_share_cap_percent":20})",
        R"({"outcome":"default","as_of":"2026-11-01"})", R"({"note":"n"})"};
    std::vector<std::pair<std::string, std::string>> targets;
    for (const auto& route : app_->router().routes()) {
        if (route.method == "GET") continue;
        std::string path = route.pattern;
        for (size_t open; (open = path.find('{')) != std::string::npos;)
            path.replace(open, path.find('}', open) - open + 1, "1");
        targets.emplace_back(route.method, path);
    }
    const std::string alphabet = "{}[]\":,0123456789-.eE truefalsnul\\u00ZZ厦";
    for (int i = 0; i < 3000; ++i) {
        std::string body = seeds[rng() % seeds.size()];
        const int edits = 1 + rng() % 6;
        for (int e = 0; e < edits && !body.empty(); ++e) {
            const size_t pos = rng() % body.size();
            switch (rng() % 3) {
                case 0: body.erase(pos, 1 + rng() % 4); break;
                case 1: body.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
                default: body[pos] = static_cast<char>(rng() % 256);
            }
        }
        const auto& [method, path] = targets[rng() % targets.size()];
        if (path == "/api/v1/auth/logout") continue;
        auto response = Call(method, path, body, true);
        ASSERT_LT(response.status, 500) << method << " " << path << " " << body << " -> " << response.body;
    }
}

TEST(ParserFuzz, ValueParsersNeverCrash) {
    std::mt19937 rng(7);
    for (int i = 0; i < 20000; ++i) {
        std::string s(rng() % 24, '\0');
        for (auto& c : s) c = static_cast<char>(rng() % 128);
        (void)ValidateUscc(s);
        (void)ParseIsoTimestamp(s);
        (void)ParseYuan(s);
        (void)ParseQuery(s);
        (void)JsonInput::Parse(s, {"a"});
    }
    SUCCEED();
}

}  // namespace
}  // namespace chanrong::http
