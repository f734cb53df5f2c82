#pragma once
// Session-level building blocks shared by the enterprise service and imports: field validation against the
// reference sets, inserts, updates and the derived fields (4+4+6 class, SME size). Include from .cpp only.

#include <boost/json/object.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/field_cipher.hpp"
#include "registry/enterprise_service.hpp"
#include "registry/reference.hpp"

namespace soci {
class session;
}
namespace sqlite_api {  // how SOCI includes sqlite3.h
struct sqlite3_stmt;
}

namespace chanrong::registry {

/// Field problems of `fields` (names as in the API); `creating` makes name, district and industry required.
std::vector<FieldError> ValidateFields(const EnterpriseFields& fields, const ReferenceSets& refs, bool creating);
std::vector<FieldError> ValidateFigures(const YearFigures& figures);

/// Inserts an enterprise; `uscc_problem` non-empty flags a code that failed its check for review.
long long InsertEnterprise(soci::session& s, const std::string& uscc, const std::string& uscc_problem,
                           const EnterpriseFields& fields, const ReferenceSets& refs, const FieldCipher& cipher,
                           TimestampMs now);
/// A new enterprise as one row of `enterprises`, every derived column computed (search name, 4+4+6 class,
/// encrypted and masked legal representative). Building one touches no database, so an import builds rows on a
/// helper thread while its transaction writes them.
struct NewEnterpriseRow {
    std::array<std::string, 13> text;  // uscc, name, name_normalized, district, industry_code, industry_446,
                                       // uscc_problem, legal_rep_cipher, legal_rep_masked, founded_on,
                                       // contact_person, contact_phone, address
    int uscc_valid = 1;
    std::optional<long long> capital_fen;
};
NewEnterpriseRow MakeNewEnterpriseRow(const std::string& uscc, const std::string& uscc_problem,
                                      const EnterpriseFields& fields, const ReferenceSets& refs,
                                      const FieldCipher& cipher);

/// Inserts new enterprises in bulk (imports): on SQLite through one prepared statement stepped per row with the
/// values bound in place, on PostgreSQL through one COPY … FROM STDIN streamed while rows arrive (the server indexes
/// them meanwhile). Add() writes or buffers a row; Flush() sends what is buffered and ends the COPY — call it before
/// any other statement on the session.
class EnterpriseBatchInserter {
public:
    EnterpriseBatchInserter(soci::session& s, bool postgres, TimestampMs now);
    ~EnterpriseBatchInserter();
    EnterpriseBatchInserter(const EnterpriseBatchInserter&) = delete;
    EnterpriseBatchInserter& operator=(const EnterpriseBatchInserter&) = delete;
    void Add(NewEnterpriseRow&& row);
    void Flush();

private:
    void Insert(const NewEnterpriseRow& row);
    void CopyRow(const NewEnterpriseRow& row);
    void CopySend();
    soci::session& s_;
    bool postgres_;
    bool copying_ = false;
    std::string copy_buffer_;
    TimestampMs now_;
    sqlite_api::sqlite3_stmt* insert_ = nullptr;
};

/// Bulk inserts into `enterprises` on SQLite, inside the caller's transaction: construction drops the table's
/// secondary indexes and the trigger that indexes names for search; Restore() creates them again from their stored
/// definitions and indexes the names of the rows inserted since. Building an index once over the loaded rows costs
/// less than keeping it up to date row by row when the load is as large as the table; readers keep seeing the
/// committed schema, and a rollback brings everything back unchanged.
class DeferredEnterpriseIndexes {
public:
    explicit DeferredEnterpriseIndexes(soci::session& s);
    void Restore();

private:
    soci::session& s_;
    std::vector<std::string> indexes_;
    std::string search_trigger_;
    long long last_id_ = 0;
};

/// Writes the given fields (others unchanged) and bumps the version.
void UpdateEnterprise(soci::session& s, long long id, const EnterpriseFields& fields, const FieldCipher& cipher,
                      TimestampMs now);
/// Inserts or replaces one year's figures.
void UpsertFigures(soci::session& s, long long id, const YearFigures& figures, TimestampMs now);
/// Recomputes the mapped 4+4+6 class (unless overridden) and the SME size class from the latest figures; when either
/// changes, the row is stamped `now` (the matching index and the KPI store catch up by that stamp) and the answer is
/// true.
bool RecomputeDerived(soci::session& s, long long id, const ReferenceSets& refs, TimestampMs now);

/// The enterprise's id by credit code.
std::optional<long long> FindByUscc(soci::session& s, const std::string& uscc);

/// The profile row as JSON (no figures or tags); `mask_contact` hides the phone as lists do.
std::optional<boost::json::object> LoadProfile(soci::session& s, long long id, const std::string& scope,
                                               bool mask_contact);

}  // namespace chanrong::registry
