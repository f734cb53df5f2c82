#pragma once
// Statements assembled at run time (optional filters, paging) with every value bound, never spliced.
// Include only from .cpp files: it pulls in SOCI.

#include <soci/soci.h>

#include <deque>
#include <string>
#include <string_view>

namespace chanrong::storage {

class Query {
public:
    explicit Query(std::string_view sql = {}) : sql_(sql) {}

    /// Appends SQL text (never user input).
    Query& Sql(std::string_view text) {
        sql_ += text;
        return *this;
    }
    /// Appends a placeholder bound to `value`.
    Query& Bind(std::string value);
    Query& Bind(long long value);

    const std::string& sql() const { return sql_; }

    /// Prepares the statement on `session` and binds every value; the caller adds intos, then
    /// calls define_and_bind() and execute().
    void PrepareInto(soci::statement& statement) const;

private:
    std::string sql_;
    mutable std::deque<std::string> strings_;
    mutable std::deque<long long> ints_;
    std::deque<std::pair<bool, size_t>> order_;  // (is string, index)
};

/// Runs a statement prepared once and kept (see Database::ConnectionLocal) and steps it to its end, so that
/// SQLite does not keep it active (an active statement blocks COMMIT). True when it produced a row.
inline bool ExecuteKept(soci::statement& st) {
    const bool got = st.execute(true);
    while (got && st.fetch()) {
    }
    return got;
}

/// Runs the `SELECT COUNT(*) …` built in `q` and returns the count.
long long CountOf(soci::session& session, const Query& q);

/// Runs `q` with `row` bound through `row.Into(statement)` and calls `each()` after every fetched row.
template <class Row, class Each>
void ForEachRow(soci::session& session, const Query& q, Row& row, Each&& each) {
    soci::statement st(session);
    q.PrepareInto(st);
    row.Into(st);
    st.define_and_bind();
    st.execute();
    while (st.fetch()) each();
}

}  // namespace chanrong::storage
