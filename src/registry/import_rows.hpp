#pragma once
// The rules of each import kind, shared by the import run (import_service.cpp) only: the template's columns,
// what one row must hold, the records good rows become, and what rows are checked against.

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/field_cipher.hpp"
#include "common/import_table.hpp"
#include "registry/directory_service.hpp"
#include "registry/enterprise_store.hpp"
#include "registry/import_service.hpp"
#include "registry/reference.hpp"

namespace soci {
class session;
}

namespace chanrong::registry {

/// The template's columns of an import kind, in order.
const std::vector<ImportColumn>& ColumnsFor(ImportKind kind);

struct EnterpriseRecord {
    size_t row;
    std::string uscc;
    std::string uscc_problem;
    EnterpriseFields fields;
};
struct FiguresRecord {
    size_t row;
    long long enterprise_id;
    YearFigures figures;
};
struct TagRecord {
    size_t row;
    long long enterprise_id;
    TagInput tag;
};
struct EntryRecord {
    size_t row;
    EntryInput entry;
};

// An enterprise's stays in the directory a directory import targets.
struct MemberStays {
    std::string open_from;   // start of the stay still open ('' when none)
    std::string latest_end;  // latest end of a closed stay ('' when none)
};

// What rows are checked against: read once before pass 1, and again inside the apply transaction.
struct Context {
    ReferenceSets refs;
    std::unordered_map<std::string, long long> codes;  // credit code → id (every kind but enterprises)
    std::map<std::string, std::string> tag_names;      // tag code or name → code
    std::string layers;                                // the target directory's layers
    std::unordered_map<long long, MemberStays> stays;  // directory imports: the target directory's members
};

Result<Context> LoadContext(soci::session& s, const ImportOptions& options);

// One good row as its kind's record.
struct Checked {
    std::optional<EnterpriseRecord> enterprise;
    std::optional<FiguresRecord> figures;
    std::optional<TagRecord> tag;
    std::optional<EntryRecord> entry;
};

/// Checks one row; true when it may be applied (warnings allowed). `flagged` counts rows kept with a warning.
bool CheckRow(ImportKind kind, ImportRow& c, const Context& ctx, long long& flagged, Checked& out);

/// The key of a row for "duplicate in the file": credit code, plus year for figures, plus tag and start for tags.
std::string DuplicateKey(ImportKind kind, const ImportRow& c);

/// Credit code → enterprise id of every registered enterprise.
std::unordered_map<std::string, long long> KnownCodes(soci::session& s);

/// The fields of `incoming` that differ from what is stored for enterprise `id` (to tell updated from unchanged).
EnterpriseFields ChangedFields(soci::session& s, long long id, const EnterpriseFields& incoming, const FieldCipher& cipher);
bool Empty(const EnterpriseFields& f);

}  // namespace chanrong::registry
