// plc_debug: the bracketed PLC debug trace (docs/formats.md §2), the hot path.
//
//   TIMESTAMP [LEVEL] [PATH] [CATEGORY:SIGNAL] (DTYPE) : VALUE
//
// Written for speed: memchr between the fixed punctuation, no allocation,
// every field a view into the line.

#include <cstddef>

#include "ingest/formats/device_path.h"
#include "ingest/formats/line_parser.h"
#include "ingest/formats/parse_util.h"

namespace plcscope::ingest {
namespace {

using internal::Find;
using internal::FindNear;
using internal::SkipBlanks;
using internal::TrimView;

inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline bool EqualsLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (Lower(s[i]) != lower[i]) return false;
  }
  return true;
}

// "(Boolean)" "(Integer)" "(String)" in any case force a type; anything
// else ("int", "float", "word", "") means infer.
inline base::DeclaredType DeclaredFromToken(std::string_view t) {
  switch (t.size()) {
    case 6:
      if (EqualsLower(t, "string")) return base::DeclaredType::kString;
      break;
    case 7:
      if (EqualsLower(t, "boolean")) return base::DeclaredType::kBoolean;
      if (EqualsLower(t, "integer")) return base::DeclaredType::kInteger;
      break;
    default:
      break;
  }
  return base::DeclaredType::kInfer;
}

// The first `c` in [p, end), expected right after blanks (" (", " : ").
inline const char* FindAfterBlanks(const char* p, const char* end, char c) {
  const char* q = SkipBlanks(p, end);
  if (q < end && *q == c) return q;
  return Find(q, end, c);
}

}  // namespace

// 2025-09-22 13:00:00.014 [Debug] [B1BCNV22905_PRE_AGING#6.Belts.B1BCNV22905-121@B37]
//     [INPUT2:I_LEVEL2_TRAY_EXIST] (Boolean) : ON
// (one line in the file; wrapped here)
void ParsePlcDebugLine(std::string_view line, SampleSink& sink) {
  int64_t ts_ns;
  size_t used;
  if (!internal::LeadingTimestamp(line, reason::kNoMatchPlcDebug, sink, &ts_ns, &used)) return;
  const char* const end = line.data() + line.size();
  const char* p = SkipBlanks(line.data() + used, end);

  // [LEVEL]: ignored.
  if (p == end || *p != '[') return sink.OnError(reason::kNoMatchPlcDebug);
  const char* close = FindNear(p + 1, end, ']');
  if (close == nullptr) return sink.OnError(reason::kNoMatchPlcDebug);
  p = SkipBlanks(close + 1, end);

  // [PATH]
  if (p == end || *p != '[') return sink.OnError(reason::kNoMatchPlcDebug);
  const char* path_begin = p + 1;
  close = Find(path_begin, end, ']');
  if (close == nullptr) return sink.OnError(reason::kNoMatchPlcDebug);
  const std::string_view path = TrimView(path_begin, close);
  p = SkipBlanks(close + 1, end);

  // [CATEGORY:SIGNAL]: the category is the text before the first ':'.
  if (p == end || *p != '[') return sink.OnError(reason::kNoMatchPlcDebug);
  const char* key_begin = p + 1;
  close = Find(key_begin, end, ']');
  if (close == nullptr) return sink.OnError(reason::kNoMatchPlcDebug);
  const char* colon = Find(key_begin, close, ':');
  if (colon == nullptr) return sink.OnError(reason::kNoMatchPlcDebug);
  const std::string_view category = TrimView(key_begin, colon);
  const std::string_view signal = TrimView(colon + 1, close);

  // (DTYPE): the first ( ) after the third bracket.
  const char* open = FindAfterBlanks(close + 1, end, '(');
  if (open == nullptr) return sink.OnError(reason::kNoMatchPlcDebug);
  close = FindNear(open + 1, end, ')');
  if (close == nullptr) return sink.OnError(reason::kNoMatchPlcDebug);
  const base::DeclaredType declared = DeclaredFromToken(TrimView(open + 1, close));

  // : VALUE: everything after the first ':' that follows ')'.
  colon = FindAfterBlanks(close + 1, end, ':');
  if (colon == nullptr) return sink.OnError(reason::kNoMatchPlcDebug);
  const std::string_view value = TrimView(colon + 1, end);

  const std::string_view device = DeviceFromPath(path);
  if (device.empty()) return sink.OnError(reason::kNoDevice);
  if (signal.empty()) return sink.OnError(reason::kNoSignal);
  // Built in one go: default-initialising a Sample first costs a rep stos.
  const Sample s{.ts_ns = ts_ns,
                 .device = device,
                 .path = path,
                 .signal = signal,
                 .category = category,
                 .value = value,
                 .declared = declared};
  sink.OnSample(s);
}

}  // namespace plcscope::ingest
