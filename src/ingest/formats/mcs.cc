// mcs: the AMHS / MCS carrier-transfer log (formats.md §4).
//
//   TIMESTAMP [ACTION=ID1, ID2] [Key=Value], [Key=Value] ...
//   TIMESTAMP [ACTION=ID1] ...
//
// One line gives several samples; the whole line is checked before the first
// is reported, so a bad line gives one error and no samples.

#include "ingest/formats/line_parser.h"
#include "ingest/formats/parse_util.h"

namespace plcscope::ingest {
namespace {

using internal::Find;
using internal::TrimView;

constexpr std::string_view kActions[] = {"ADD", "UPDATE", "REMOVE"};

constexpr std::string_view kFlagKeys[] = {"IsBoost", "IsMultiJob", "IsMultipleDestination",
                                          "IsLocationGroupOrder", "IsExecuteCommand"};
constexpr std::string_view kIntegerKeys[] = {"Priority", "AltCount", "AltCount2", "WaitCount",
                                             "CirculationCount"};
constexpr std::string_view kStringKeys[] = {"TransferState",
                                            "TransferState2",
                                            "TransferAbnormalState",
                                            "TransferAbnormalState2",
                                            "ResultCode",
                                            "ResultCode2",
                                            "CommandType"};

template <size_t N>
bool OneOf(std::string_view key, const std::string_view (&set)[N]) {
  for (std::string_view k : set) {
    if (k == key) return true;
  }
  return false;
}

base::DeclaredType DeclaredForKey(std::string_view key) {
  if (OneOf(key, kFlagKeys)) return base::DeclaredType::kFlag;
  if (OneOf(key, kIntegerKeys)) return base::DeclaredType::kInteger;
  if (OneOf(key, kStringKeys)) return base::DeclaredType::kString;
  return base::DeclaredType::kInfer;
}

// Walks the [Key=Value] groups after the head. With `sink` null it only
// checks them; otherwise it reports one sample per group with a value.
bool WalkGroups(const char* p, const char* end, Sample* s, SampleSink* sink) {
  while (true) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == ',')) ++p;
    if (p == end) return true;
    if (*p != '[') return false;
    const char* close = Find(p + 1, end, ']');
    if (close == nullptr) return false;
    const char* eq = Find(p + 1, close, '=');
    if (eq == nullptr) return false;
    std::string_view key = TrimView(p + 1, eq);
    if (key.empty()) return false;
    if (sink != nullptr) {
      std::string_view value = TrimView(eq + 1, close);
      if (!value.empty() && value != "None") {
        if (key == "CarrierLoc" || key == "CarrierLocation") key = "CurrentLocation";
        s->signal = key;
        s->value = value;
        s->declared = DeclaredForKey(key);
        sink->OnSample(*s);
      }
    }
    p = close + 1;
  }
}

}  // namespace

// 2025-12-05 00:00:35.404 [UPDATE=CMD123, CAR-789] [CarrierLoc=B1ACNV13301-120], [Priority=5]
void ParseMcsLine(std::string_view line, SampleSink& sink) {
  Sample s;
  size_t used;
  if (!internal::LeadingTimestamp(line, reason::kNoMatchMcs, sink, &s.ts_ns, &used)) return;
  const char* const end = line.data() + line.size();
  const char* p = internal::SkipBlanks(line.data() + used, end);

  // [ACTION=ID1, ID2]
  if (p == end || *p != '[') return sink.OnError(reason::kNoMatchMcs);
  const char* head_end = Find(p + 1, end, ']');
  if (head_end == nullptr) return sink.OnError(reason::kNoMatchMcs);
  const char* eq = Find(p + 1, head_end, '=');
  if (eq == nullptr) return sink.OnError(reason::kNoMatchMcs);
  const std::string_view action = TrimView(p + 1, eq);
  if (!OneOf(action, kActions)) return sink.OnError(reason::kNoMatchMcs);
  const char* comma = Find(eq + 1, head_end, ',');
  const std::string_view id1 = TrimView(eq + 1, comma != nullptr ? comma : head_end);
  const std::string_view id2 =
      comma != nullptr ? TrimView(comma + 1, head_end) : std::string_view();
  if (!WalkGroups(head_end + 1, end, &s, nullptr)) return sink.OnError(reason::kNoMatchMcs);

  // The device is the carrier (ID2) when there are two IDs, else ID1; the
  // IDs are names, not paths, so they are kept as written.
  s.device = id2.empty() ? id1 : id2;
  if (s.device.empty()) return sink.OnError(reason::kNoDevice);
  s.path = s.device;
  s.signal = "_Action";
  s.value = action;
  s.declared = base::DeclaredType::kString;
  sink.OnSample(s);
  if (!id1.empty() && !id2.empty()) {
    s.signal = "_CommandID";
    s.value = id1;
    sink.OnSample(s);
  }
  WalkGroups(head_end + 1, end, &s, &sink);
}

}  // namespace plcscope::ingest
