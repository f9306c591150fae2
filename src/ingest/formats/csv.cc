// csv: the four-column signal CSV (docs/formats.md §5).
//
//   TIMESTAMP,DEVICE_OR_PATH,SIGNAL,VALUE
//
// Blanks around commas are trimmed; the value is everything after the third
// comma; a field may be quoted as RFC 4180 says ("a,b", "say ""hi""").
// Unescaped text lives in a thread_local scratch buffer, valid until the
// next line parsed on the same thread.

#include <string>

#include "ingest/formats/device_path.h"
#include "ingest/formats/line_parser.h"
#include "ingest/formats/parse_util.h"

namespace plcscope::ingest {
namespace {

using internal::Find;
using internal::TrimView;

// Per-thread storage for quoted fields that hold doubled quotes. Reserved to
// the line's size before use, so views into it stay valid for the line.
std::string& Scratch() {
  thread_local std::string scratch;
  return scratch;
}

// Reads the quoted field whose opening quote is at `p`. On success sets
// *field (into the line, or into the scratch buffer when it held "") and
// returns the position after the closing quote; returns nullptr when the
// quote is never closed.
const char* ReadQuoted(const char* p, const char* end, std::string_view* field) {
  const char* begin = p + 1;
  const char* q = begin;
  bool escaped = false;
  while (true) {
    q = Find(q, end, '"');
    if (q == nullptr) return nullptr;
    if (q + 1 < end && q[1] == '"') {
      escaped = true;
      q += 2;
      continue;
    }
    break;
  }
  if (!escaped) {
    *field = std::string_view(begin, static_cast<size_t>(q - begin));
    return q + 1;
  }
  std::string& out = Scratch();
  const size_t start = out.size();
  for (const char* c = begin; c < q; ++c) {
    out.push_back(*c);
    if (*c == '"') ++c;  // the second quote of a pair
  }
  *field = std::string_view(out.data() + start, out.size() - start);
  return q + 1;
}

// Reads one of the first three fields starting at `p`: blanks, then a quoted
// field or plain text up to the next ',', then blanks and the ','. Returns
// the position after the comma, or nullptr when the line has no such field.
const char* ReadField(const char* p, const char* end, std::string_view* field) {
  p = internal::SkipBlanks(p, end);
  if (p < end && *p == '"') {
    p = ReadQuoted(p, end, field);
    if (p == nullptr) return nullptr;
    p = internal::SkipBlanks(p, end);
    if (p == end || *p != ',') return nullptr;
    *field = TrimView(*field);
    return p + 1;
  }
  const char* comma = Find(p, end, ',');
  if (comma == nullptr) return nullptr;
  *field = TrimView(p, comma);
  return comma + 1;
}

// The value: everything after the third comma, trimmed; when that is one
// well-formed quoted field, its unescaped content.
std::string_view ReadValue(const char* p, const char* end) {
  std::string_view raw = TrimView(p, end);
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
    std::string_view quoted;
    const char* after = ReadQuoted(raw.data(), raw.data() + raw.size(), &quoted);
    if (after == raw.data() + raw.size()) return TrimView(quoted);
  }
  return raw;
}

}  // namespace

// 2025-10-21 23:08:27.995,B1ACNV13309-104@D19,B,62
void ParseCsvLine(std::string_view line, SampleSink& sink) {
  std::string& scratch = Scratch();
  scratch.clear();
  scratch.reserve(line.size());
  const char* const end = line.data() + line.size();

  std::string_view ts_field, device_field;
  Sample s;
  const char* p = ReadField(line.data(), end, &ts_field);
  if (p != nullptr) p = ReadField(p, end, &device_field);
  if (p != nullptr) p = ReadField(p, end, &s.signal);
  if (p == nullptr) return sink.OnError(reason::kNoMatchCsv);
  s.value = ReadValue(p, end);

  size_t used;
  if (!internal::CachedParseTimestamp(ts_field, &s.ts_ns, &used) || used != ts_field.size()) {
    return sink.OnError(internal::LooksLikeDate(ts_field) ? reason::kBadTimestamp
                                                          : reason::kNoMatchCsv);
  }
  s.path = device_field;
  s.device = DeviceFromPath(device_field);
  if (s.device.empty()) s.device = device_field;
  if (s.device.empty()) return sink.OnError(reason::kNoDevice);
  if (s.signal.empty()) return sink.OnError(reason::kNoSignal);
  sink.OnSample(s);
}

}  // namespace plcscope::ingest
