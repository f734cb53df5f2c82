#pragma once
// Small helpers shared by the endpoint files: paging, ids, actors, commands, answers.

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "audit/command_pipeline.hpp"
#include "common/json_input.hpp"
#include "common/table_export.hpp"
#include "http/router.hpp"

namespace chanrong::http {

struct Paging {
    long long offset = 0;
    long long limit = 20;
};

/// offset ≥ 0 and 1 ≤ limit ≤ 200, defaulting to 0 and 20; 400 naming the parameter otherwise.
Result<Paging> ParsePaging(const Request& r);

/// The numeric path parameter `name`; 400 when it is not a positive integer.
Result<long long> PathId(const Request& r, const std::string& name = "id");

/// A query parameter, or nullopt when absent or empty.
std::optional<std::string> QueryParam(const Request& r, const std::string& name);
/// An ISO date/time query parameter; 400 naming it when malformed.
Result<std::optional<long long>> QueryTime(const Request& r, const std::string& name);
/// true/false query parameter; 400 naming it otherwise.
Result<std::optional<bool>> QueryBool(const Request& r, const std::string& name);
Result<std::optional<long long>> QueryInt(const Request& r, const std::string& name);

/// Who is writing: the authenticated principal, its address and the request id.
audit::Actor ActorOf(const Request& r);

/// A command for the pipeline with the body (secrets removed) as payload and the Idempotency-Key header.
Result<audit::Command> MakeCommand(const Request& r, std::string action, std::string entity, std::string permission,
                                   std::string entity_id = "");

Response JsonAnswer(const Result<boost::json::object>& result, const Request& r);
Response OutcomeAnswer(const Result<audit::Outcome>& result, const Request& r);
Response StatusAnswer(const Status& status, const Request& r);
inline Response Problem(const Error& e, const Request& r) { return ErrorResponse(e, r.request_id); }

/// A table download streamed in chunks: `fill` adds rows to the writer. `format` from the query (xlsx|csv).
Response StreamTable(const Request& r, const std::string& file_name, const std::string& sheet, TableRow header,
                     std::function<Status(TableWriter&)> fill);

/// StreamTable over a paged list: `page(offset, limit)` answers one page (its `items`), `row` makes an item a row;
/// pages of 200 are read until one comes back short.
Response StreamPages(const Request& r, const std::string& file_name, const std::string& sheet, TableRow header,
                     std::function<Result<boost::json::object>(long long offset, long long limit)> page,
                     std::function<TableRow(const boost::json::object& item)> row);

/// Reads the JSON body allowing `fields`; on failure the caller returns Problem(error).
inline Result<JsonInput> ReadBody(const Request& r, std::vector<std::string_view> fields) {
    return JsonInput::Parse(r.body.empty() ? "{}" : r.body, std::move(fields));
}

}  // namespace chanrong::http
