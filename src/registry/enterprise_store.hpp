#pragma once
// Session-level building blocks shared by the enterprise service and imports: field validation against the
// reference sets, inserts, updates and the derived fields (4+4+6 class, SME size). Include from .cpp only.

#include <boost/json/object.hpp>

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

namespace chanrong::registry {

/// Field problems of `fields` (names as in the API); `creating` makes name, district and industry required.
std::vector<FieldError> ValidateFields(const EnterpriseFields& fields, const ReferenceSets& refs, bool creating);
std::vector<FieldError> ValidateFigures(const YearFigures& figures);

/// Inserts an enterprise; `uscc_problem` non-empty flags a code that failed its check for review.
long long InsertEnterprise(soci::session& s, const std::string& uscc, const std::string& uscc_problem,
                           const EnterpriseFields& fields, const ReferenceSets& refs, const FieldCipher& cipher,
                           TimestampMs now);
/// Inserts new enterprises in bulk (imports): on SQLite in multi-row batches through one prepared statement, on
/// PostgreSQL through COPY … FROM STDIN. Add() buffers a row; Flush() writes what is buffered. Derived fields are
/// computed as in InsertEnterprise.
class EnterpriseBatchInserter {
public:
    EnterpriseBatchInserter(soci::session& s, bool postgres, const ReferenceSets& refs, const FieldCipher& cipher,
                            TimestampMs now);
    ~EnterpriseBatchInserter();
    void Add(const std::string& uscc, const std::string& uscc_problem, const EnterpriseFields& fields);
    void Flush();

    static constexpr size_t kBatch = 200;

private:
    struct Bound;
    void Execute(size_t rows);
    void CopyRow();
    void CopyFlush();
    soci::session& s_;
    bool postgres_;
    std::string copy_buffer_;
    const ReferenceSets& refs_;
    const FieldCipher& cipher_;
    TimestampMs now_;
    std::unique_ptr<Bound> bound_;
    size_t pending_ = 0;
};

/// Writes the given fields (others unchanged) and bumps the version.
void UpdateEnterprise(soci::session& s, long long id, const EnterpriseFields& fields, const FieldCipher& cipher,
                      TimestampMs now);
/// Inserts or replaces one year's figures.
void UpsertFigures(soci::session& s, long long id, const YearFigures& figures, TimestampMs now);
/// Recomputes the mapped 4+4+6 class (unless overridden) and the SME size class from the latest figures.
void RecomputeDerived(soci::session& s, long long id, const ReferenceSets& refs);

/// The enterprise's id by credit code.
std::optional<long long> FindByUscc(soci::session& s, const std::string& uscc);

/// The profile row as JSON (no figures or tags); `mask_contact` hides the phone as lists do.
std::optional<boost::json::object> LoadProfile(soci::session& s, long long id, const std::string& scope,
                                               bool mask_contact);

}  // namespace chanrong::registry
