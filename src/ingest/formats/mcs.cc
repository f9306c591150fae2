// mcs: the AMHS / MCS carrier-transfer log (docs/formats.md §4).
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
using internal::FindNear;
using internal::TrimView;

constexpr std::string_view kActions[] = {"ADD", "UPDATE", "REMOVE"};

struct KeyType {
  std::string_view key;
  base::DeclaredType declared;
};
constexpr KeyType kKeyTypes[] = {
    {"IsBoost", base::DeclaredType::kFlag},
    {"IsMultiJob", base::DeclaredType::kFlag},
    {"IsMultipleDestination", base::DeclaredType::kFlag},
    {"IsLocationGroupOrder", base::DeclaredType::kFlag},
    {"IsExecuteCommand", base::DeclaredType::kFlag},
    {"Priority", base::DeclaredType::kInteger},
    {"AltCount", base::DeclaredType::kInteger},
    {"AltCount2", base::DeclaredType::kInteger},
    {"WaitCount", base::DeclaredType::kInteger},
    {"CirculationCount", base::DeclaredType::kInteger},
    {"TransferState", base::DeclaredType::kString},
    {"TransferState2", base::DeclaredType::kString},
    {"TransferAbnormalState", base::DeclaredType::kString},
    {"TransferAbnormalState2", base::DeclaredType::kString},
    {"ResultCode", base::DeclaredType::kString},
    {"ResultCode2", base::DeclaredType::kString},
    {"CommandType", base::DeclaredType::kString},
};

inline bool SameKey(std::string_view a, std::string_view b) {
  return a.size() == b.size() && a[0] == b[0] && a == b;
}

bool IsAction(std::string_view a) {
  for (std::string_view k : kActions) {
    if (k == a) return true;
  }
  return false;
}

base::DeclaredType DeclaredForKey(std::string_view key) {
  for (const KeyType& k : kKeyTypes) {
    if (SameKey(k.key, key)) return k.declared;
  }
  return base::DeclaredType::kInfer;
}

// One [Key=Value] group: trivially constructible (plain pointers), so an
// array of them on the stack costs nothing until used.
struct Group {
  const char* key_data;
  size_t key_size;
  const char* value_data;
  size_t value_size;

  std::string_view key() const { return {key_data, key_size}; }
  std::string_view value() const { return {value_data, value_size}; }
  void Set(std::string_view key, std::string_view value) {
    key_data = key.data();
    key_size = key.size();
    value_data = value.data();
    value_size = value.size();
  }
};

// Reads the group starting at or after `*p` (separators: blanks, commas).
// Returns 1 and advances *p past it, 0 at the end of the line, -1 when the
// text is not a group. *has_value is false for an empty or "None" value.
int NextGroup(const char** p, const char* end, Group* g, bool* has_value) {
  const char* q = *p;
  while (q < end && (*q == ' ' || *q == '\t' || *q == ',')) ++q;
  if (q == end) return 0;
  if (*q != '[') return -1;
  const char* close = Find(q + 1, end, ']');
  if (close == nullptr) return -1;
  const char* eq = FindNear(q + 1, close, '=');
  if (eq == nullptr) return -1;
  std::string_view key = TrimView(q + 1, eq);
  if (key.empty()) return -1;
  const std::string_view value = TrimView(eq + 1, close);
  *has_value = !value.empty() && value != "None";
  if (SameKey(key, "CarrierLoc") || SameKey(key, "CarrierLocation")) key = "CurrentLocation";
  g->Set(key, value);
  *p = close + 1;
  return 1;
}

void Emit(const Group& g, Sample* s, SampleSink& sink) {
  s->signal = g.key();
  s->value = g.value();
  s->declared = DeclaredForKey(s->signal);
  sink.OnSample(*s);
}

}  // namespace

// 2025-12-05 00:00:35.404 [UPDATE=CMD123, CAR-789] [CarrierLoc=B1ACNV13301-120], [Priority=5]
void ParseMcsLine(std::string_view line, SampleSink& sink) {
  int64_t ts_ns;
  size_t used;
  if (!internal::LeadingTimestamp(line, reason::kNoMatchMcs, sink, &ts_ns, &used)) return;
  const char* const end = line.data() + line.size();
  const char* p = internal::SkipBlanks(line.data() + used, end);

  // [ACTION=ID1, ID2]
  if (p == end || *p != '[') return sink.OnError(reason::kNoMatchMcs);
  const char* head_end = Find(p + 1, end, ']');
  if (head_end == nullptr) return sink.OnError(reason::kNoMatchMcs);
  const char* eq = Find(p + 1, head_end, '=');
  if (eq == nullptr) return sink.OnError(reason::kNoMatchMcs);
  const std::string_view action = TrimView(p + 1, eq);
  if (!IsAction(action)) return sink.OnError(reason::kNoMatchMcs);
  const char* comma = FindNear(eq + 1, head_end, ',');
  const std::string_view id1 = TrimView(eq + 1, comma != nullptr ? comma : head_end);
  const std::string_view id2 =
      comma != nullptr ? TrimView(comma + 1, head_end) : std::string_view();

  // Check every group before reporting anything; keep the first ones so
  // that a usual line is read once.
  constexpr int kKept = 32;
  Group kept[kKept];
  int groups = 0;  // groups with a value
  const char* q = head_end + 1;
  while (true) {
    Group g;
    bool has_value;
    const int r = NextGroup(&q, end, &g, &has_value);
    if (r < 0) return sink.OnError(reason::kNoMatchMcs);
    if (r == 0) break;
    if (has_value) {
      if (groups < kKept) kept[groups] = g;
      ++groups;
    }
  }

  // The device is the carrier (ID2) when there are two IDs, else ID1; the
  // IDs are names, not paths, so they are kept as written.
  Sample s;
  s.ts_ns = ts_ns;
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
  for (int i = 0; i < groups && i < kKept; ++i) Emit(kept[i], &s, sink);
  if (groups > kKept) {
    // A rare long line: walk it again for the groups past the first kKept.
    q = head_end + 1;
    for (int seen = 0;;) {
      Group g;
      bool has_value;
      if (NextGroup(&q, end, &g, &has_value) <= 0) break;
      if (has_value && seen++ >= kKept) Emit(g, &s, sink);
    }
  }
}

}  // namespace plcscope::ingest
