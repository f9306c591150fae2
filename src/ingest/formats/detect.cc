#include "ingest/formats/detect.h"

#include <string>

#include "base/time_util.h"
#include "ingest/formats/parse_util.h"

namespace plcscope::ingest {
namespace {

// Records whether a line fits a format's full-line pattern: it parses, or
// fails only for what the pattern cannot see (no device in the path, an
// empty signal name).
class MatchSink : public SampleSink {
 public:
  void OnSample(const Sample&) override {}
  void OnError(std::string_view reason) override {
    if (reason != reason::kNoDevice && reason != reason::kNoSignal) matches_ = false;
  }
  bool matches() const { return matches_; }

 private:
  bool matches_ = true;
};

bool LineMatches(Format format, std::string_view line) {
  MatchSink sink;
  ParseLine(format, line, sink);
  return sink.matches();
}

// At least 60 % of `lines` match.
bool EnoughMatch(Format format, std::span<const std::string_view> lines) {
  if (lines.empty()) return false;
  size_t matching = 0;
  for (std::string_view line : lines) matching += LineMatches(format, line) ? 1 : 0;
  return matching * 10 >= lines.size() * 6;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != b[i]) return false;
  }
  return true;
}

}  // namespace

base::Result<Format> DetectFormat(std::span<const std::string_view> lines) {
  if (lines.size() > static_cast<size_t>(kDetectLines)) lines = lines.first(kDetectLines);
  for (int i = 0; i < kFormatCount; ++i) {
    const Format f = static_cast<Format>(i);
    // A csv header is skipped by the driver, so it does not count here.
    std::span<const std::string_view> judged = lines;
    if (f == Format::kCsv && !lines.empty() &&
        IsHeaderLine(f, lines.front(),
                     lines.size() > 1 ? std::optional<std::string_view>(lines[1]) : std::nullopt)) {
      judged = lines.subspan(1);
    }
    if (EnoughMatch(f, judged)) return f;
  }
  std::string tried;
  for (int i = 0; i < kFormatCount; ++i) {
    if (i > 0) tried += ", ";
    tried += FormatName(static_cast<Format>(i));
  }
  if (lines.empty()) {
    return base::Unsupported("no non-blank line to detect a log format from (tried " + tried + ")");
  }
  return base::Unsupported("no known log format matches the first lines (tried " + tried + ")");
}

bool IsCsvDataLine(std::string_view line) {
  struct DataSink : SampleSink {
    bool data = true;
    void OnSample(const Sample&) override {}
    void OnError(std::string_view reason) override { data = reason != reason::kNoMatchCsv; }
  } sink;
  ParseLine(Format::kCsv, line, sink);
  return sink.data;
}

// "timestamp,device,signal,value"; or a first field that does not start like
// a date, followed by a data line.
bool IsHeaderLine(Format format, std::string_view line, std::optional<std::string_view> next) {
  if (format != Format::kCsv) return false;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  static constexpr std::string_view kNames[] = {"timestamp", "device", "signal", "value"};
  std::string_view rest = line;
  bool named = true;
  for (size_t i = 0; i < 4 && named; ++i) {
    const size_t comma = i < 3 ? rest.find(',') : std::string_view::npos;
    named = EqualsNoCase(internal::TrimView(rest.substr(0, comma)), kNames[i]) &&
            (i == 3 || comma != std::string_view::npos);
    if (comma != std::string_view::npos) rest.remove_prefix(comma + 1);
  }
  if (named) return true;
  std::string_view first = line.substr(0, line.find(','));
  first = internal::TrimView(first);
  if (!first.empty() && first.front() == '"') {
    first.remove_prefix(1);
    if (!first.empty() && first.back() == '"') first.remove_suffix(1);
    first = internal::TrimView(first);
  }
  if (internal::LooksLikeDate(first) || base::IsTimestamp(first)) return false;
  if (!next.has_value()) return false;
  std::string_view n = *next;
  if (!n.empty() && n.back() == '\r') n.remove_suffix(1);
  return IsCsvDataLine(n);
}

}  // namespace plcscope::ingest
