#include "common/csv_reader.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <deque>

#include "common/text_normalize.hpp"

namespace chanrong {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr size_t kChunkBytes = 64u << 10;
// How much text after the first non-ASCII byte a stream looks at before deciding the encoding.
constexpr size_t kDetectionWindow = 4u << 10;

Error CsvError(size_t line, std::string code, const std::string& message) {
    return Error::Field("csv", std::move(code), "第 " + std::to_string(line) + " 行: " + message);
}

std::optional<Error> Utf16Error(std::string_view head) {
    if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF"))
        return CsvError(1, "utf16", "文件是 UTF-16 编码，请在 Excel 中另存为“CSV UTF-8(逗号分隔)”");
    return std::nullopt;
}

// The 1-based line of `bytes[offset]`, counting CRLF, LF and lone CR as the parser does.
size_t LineAt(std::string_view bytes, size_t offset) {
    size_t line = 1;
    for (size_t i = 0; i < offset && i < bytes.size(); ++i)
        if (bytes[i] == '\r' || (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r'))) ++line;
    return line;
}

// The RFC 4180 state machine. Text is pushed in chunks of UTF-8; complete records are appended to `out`.
class CsvParser {
public:
    explicit CsvParser(const CsvOptions& options) : options_(options) {}

    Status Feed(std::string_view text, std::deque<CsvRow>& out) {
        for (char c : text) {
            if (auto status = Step(c, out); !status) return status;
            CountLine(c);
        }
        return {};
    }

    Status Finish(std::deque<CsvRow>& out) {
        if (state_ == State::kQuoted)
            return Fail(CsvError(row_line_, "unterminated_quote",
                                 "引号未闭合（引号字段一直延续到文件末尾第 " + std::to_string(line_) + " 行）"));
        if (row_started_) EndRow(out);
        return {};
    }

    /// The physical line the next byte belongs to.
    size_t line() const { return line_; }

private:
    enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterCr };

    void CountLine(char c) {
        if (c == '\r' || (c == '\n' && !last_was_cr_)) ++line_;
        last_was_cr_ = c == '\r';
    }

    Status Step(char c, std::deque<CsvRow>& out) {
        if (state_ == State::kAfterCr) {
            state_ = State::kFieldStart;
            if (c == '\n') return {};
        }
        if (!row_started_) {
            row_started_ = true;
            row_line_ = line_;
        }
        switch (state_) {
            case State::kFieldStart:
                if (c == '"') {
                    state_ = State::kQuoted;
                    row_has_content_ = true;
                    return {};
                }
                state_ = State::kUnquoted;
                [[fallthrough]];
            case State::kUnquoted:
                if (c == options_.delimiter || c == '\r' || c == '\n') return Separator(c, out);
                return Append(c);
            case State::kQuoted:
                if (c == '"') {
                    state_ = State::kQuoteInQuoted;
                    return {};
                }
                return Append(c);
            case State::kQuoteInQuoted:
                if (c == '"') {
                    state_ = State::kQuoted;
                    return Append(c);
                }
                if (c == options_.delimiter || c == '\r' || c == '\n') return Separator(c, out);
                return Fail(CsvError(line_, "text_after_quote",
                                     "引号字段结束后紧跟多余字符（字段内的引号应写成两个引号 \"\"）"));
            case State::kAfterCr: break;
        }
        return {};
    }

    Status Append(char c) {
        if (field_.size() >= options_.max_field_bytes)
            return Fail(CsvError(row_line_, "field_too_large",
                                 "字段超过 " + std::to_string(options_.max_field_bytes) + " 字节"));
        field_ += c;
        row_has_content_ = true;
        return {};
    }

    Status Separator(char c, std::deque<CsvRow>& out) {
        if (c == options_.delimiter) {
            row_.push_back(std::move(field_));
            field_.clear();
            row_has_content_ = true;
            state_ = State::kFieldStart;
            return {};
        }
        EndRow(out);
        state_ = c == '\r' ? State::kAfterCr : State::kFieldStart;
        return {};
    }

    void EndRow(std::deque<CsvRow>& out) {
        row_.push_back(std::move(field_));
        field_.clear();
        if (row_has_content_ || !options_.skip_empty_lines) out.push_back(CsvRow{row_line_, std::move(row_)});
        row_.clear();
        row_started_ = false;
        row_has_content_ = false;
    }

    const CsvOptions& options_;
    State state_ = State::kFieldStart;
    std::string field_;
    std::vector<std::string> row_;
    bool row_started_ = false;
    bool row_has_content_ = false;
    size_t row_line_ = 1;
    size_t line_ = 1;
    bool last_was_cr_ = false;
};

// An iconv descriptor from GB18030 to UTF-8.
class Gb18030Decoder {
public:
    Gb18030Decoder() : cd_(iconv_open("UTF-8", "GB18030")) {}
    ~Gb18030Decoder() {
        if (ok()) iconv_close(cd_);
    }
    Gb18030Decoder(const Gb18030Decoder&) = delete;
    Gb18030Decoder& operator=(const Gb18030Decoder&) = delete;

    bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

    enum class Outcome { kDone, kIncomplete, kInvalid };
    struct Step {
        size_t consumed = 0;
        Outcome outcome = Outcome::kDone;
    };

    /// Converts as much of `in` as possible, appending to `out`.
    Step Convert(std::string_view in, std::string& out) {
        char* in_ptr = const_cast<char*>(in.data());
        size_t in_left = in.size();
        char buffer[16384];
        while (in_left > 0) {
            char* out_ptr = buffer;
            size_t out_left = sizeof(buffer);
            const size_t rc = iconv(cd_, &in_ptr, &in_left, &out_ptr, &out_left);
            out.append(buffer, static_cast<size_t>(out_ptr - buffer));
            if (rc != static_cast<size_t>(-1)) continue;
            const size_t consumed = in.size() - in_left;
            if (errno == E2BIG) continue;
            if (errno == EINVAL) return {consumed, Outcome::kIncomplete};
            return {consumed, Outcome::kInvalid};
        }
        return {in.size(), Outcome::kDone};
    }

private:
    iconv_t cd_;
};

Error IconvUnavailable() {
    return Error::Internal("系统 iconv 不支持 GB18030 编码");
}

Error BadEncoding(size_t line, TextEncoding encoding) {
    return CsvError(line, "bad_encoding",
                    encoding == TextEncoding::kUtf8 ? "不是有效的 UTF-8 编码（文件前面的内容按 UTF-8 读取）"
                                                    : "既不是有效的 UTF-8 也不是有效的 GB18030/GBK 编码");
}

// Length of the longest prefix that holds only complete, well-formed UTF-8; `truncated` tells whether what stops
// it is a sequence cut off by the end of `bytes` (rather than an ill-formed one).
size_t ValidUtf8Prefix(std::string_view bytes, bool& truncated) {
    truncated = false;
    size_t i = 0;
    while (i < bytes.size()) {
        if (static_cast<unsigned char>(bytes[i]) < 0x80) {
            ++i;
            continue;
        }
        const Utf8Char ch = DecodeUtf8(bytes, i);
        if (!ch.valid) {
            truncated = ch.truncated;
            return i;
        }
        i += ch.length;
    }
    return i;
}

}  // namespace

Result<std::string> Gb18030ToUtf8(std::string_view bytes) {
    Gb18030Decoder decoder;
    if (!decoder.ok()) return Fail(IconvUnavailable());
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 2);
    const auto step = decoder.Convert(bytes, out);
    if (step.outcome != Gb18030Decoder::Outcome::kDone)
        return Fail(BadEncoding(LineAt(bytes, step.consumed), TextEncoding::kGb18030));
    return out;
}

Result<CsvTable> ReadCsv(std::string_view bytes, const CsvOptions& options) {
    if (auto error = Utf16Error(bytes)) return Fail(*error);
    if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
    CsvTable table;
    std::string converted;
    std::optional<Error> encoding_error;  // reported after the text before it, so the first problem wins
    if (!IsValidUtf8(bytes)) {
        Gb18030Decoder decoder;
        if (!decoder.ok()) return Fail(IconvUnavailable());
        converted.reserve(bytes.size() + bytes.size() / 2);
        const auto step = decoder.Convert(bytes, converted);
        if (step.outcome != Gb18030Decoder::Outcome::kDone)
            encoding_error = BadEncoding(LineAt(bytes, step.consumed), TextEncoding::kGb18030);
        bytes = converted;
        table.encoding = TextEncoding::kGb18030;
    }
    CsvParser parser(options);
    std::deque<CsvRow> rows;
    if (auto status = parser.Feed(bytes, rows); !status) return Fail(status.error());
    if (encoding_error) return Fail(*encoding_error);
    if (auto status = parser.Finish(rows); !status) return Fail(status.error());
    table.rows.assign(std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
    return table;
}

struct CsvReader::State {
    enum class Encoding { kUndecided, kUtf8, kGb18030 };

    State(std::istream& in, CsvOptions options) : in(in), options(options), parser(this->options) {}

    // Reads one chunk and pushes what it decodes into the parser.
    void Pump() {
        std::string chunk(kChunkBytes, '\0');
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        chunk.resize(static_cast<size_t>(in.gcount()));
        at_end = chunk.empty() || !in;
        pending += chunk;
        if (!bom_checked) {
            if (pending.size() < kUtf8Bom.size() && !at_end) return;
            bom_checked = true;
            if (auto e = Utf16Error(pending)) return SetError(std::move(*e));
            if (pending.starts_with(kUtf8Bom)) pending.erase(0, kUtf8Bom.size());
        }
        std::string text;
        const Problem problem = Decode(text);
        if (auto status = parser.Feed(text, rows); !status) return SetError(status.error());
        if (problem == Problem::kNoIconv) return SetError(IconvUnavailable());
        if (problem != Problem::kNone)
            return SetError(BadEncoding(parser.line(),
                                        problem == Problem::kBadUtf8 ? TextEncoding::kUtf8 : TextEncoding::kGb18030));
        if (at_end) {
            if (auto status = parser.Finish(rows); !status) return SetError(status.error());
            finished = true;
        }
    }

    enum class Problem { kNone, kBadUtf8, kBadGb18030, kNoIconv };

    // Moves what can be decoded from `pending` into `text`; a problem applies to the byte right after `text`.
    Problem Decode(std::string& text) {
        if (encoding == Encoding::kUndecided) DecideEncoding(text);
        if (encoding == Encoding::kUtf8) {
            bool truncated = false;
            const size_t valid = ValidUtf8Prefix(pending, truncated);
            text.append(pending, 0, valid);
            pending.erase(0, valid);
            if (!pending.empty() && (!truncated || at_end)) return Problem::kBadUtf8;
        } else if (encoding == Encoding::kGb18030) {
            if (!gb18030) gb18030 = std::make_unique<Gb18030Decoder>();
            if (!gb18030->ok()) return Problem::kNoIconv;
            const auto step = gb18030->Convert(pending, text);
            pending.erase(0, step.consumed);
            if (step.outcome == Gb18030Decoder::Outcome::kInvalid ||
                (step.outcome == Gb18030Decoder::Outcome::kIncomplete && at_end))
                return Problem::kBadGb18030;
        } else if (at_end) {
            text += pending;  // undecided at the end: everything was ASCII
            pending.clear();
        }
        return Problem::kNone;
    }

    // Passes on the ASCII prefix of `pending` and decides the encoding once enough follows it.
    void DecideEncoding(std::string& text) {
        const auto first =
            std::find_if(pending.begin(), pending.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
        const size_t ascii = static_cast<size_t>(first - pending.begin());
        text.append(pending, 0, ascii);
        pending.erase(0, ascii);
        if (pending.empty()) return;
        bool truncated = false;
        const size_t valid = ValidUtf8Prefix(pending, truncated);
        if (valid < pending.size() && (!truncated || at_end))
            encoding = Encoding::kGb18030;
        else if (at_end || valid >= kDetectionWindow)
            encoding = Encoding::kUtf8;
    }

    void SetError(Error e) {
        error = std::move(e);
        finished = true;
    }

    std::istream& in;
    CsvOptions options;
    CsvParser parser;
    std::deque<CsvRow> rows;
    std::string pending;  // raw bytes not decoded yet
    Encoding encoding = Encoding::kUndecided;
    std::unique_ptr<Gb18030Decoder> gb18030;
    std::optional<Error> error;
    bool bom_checked = false;
    bool at_end = false;
    bool finished = false;
};

CsvReader::CsvReader(std::istream& in, CsvOptions options) : state_(std::make_unique<State>(in, options)) {}

CsvReader::~CsvReader() = default;

Result<std::optional<CsvRow>> CsvReader::Next() {
    while (state_->rows.empty() && !state_->finished) state_->Pump();
    if (!state_->rows.empty()) {
        CsvRow row = std::move(state_->rows.front());
        state_->rows.pop_front();
        return row;
    }
    if (state_->error) return Fail(*state_->error);
    return std::optional<CsvRow>{};
}

TextEncoding CsvReader::encoding() const {
    return state_->encoding == State::Encoding::kGb18030 ? TextEncoding::kGb18030 : TextEncoding::kUtf8;
}

}  // namespace chanrong
