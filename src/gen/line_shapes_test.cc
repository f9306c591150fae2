#include "gen/line_shapes_test.h"

#include <vector>

#include "base/time_util.h"

namespace plcscope::gen::testing {
namespace {

bool ValidTimestamp(std::string_view ts) {
  int64_t ns;
  size_t used;
  return base::ParseTimestamp(ts, &ns, &used) && used == ts.size();
}

bool DeviceChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// Takes "[...]" at the start of *s; returns its inside or sets *ok false.
std::string_view Bracket(std::string_view* s, bool* ok) {
  if (s->empty() || s->front() != '[') {
    *ok = false;
    return {};
  }
  size_t close = s->find(']');
  if (close == std::string_view::npos) {
    *ok = false;
    return {};
  }
  std::string_view inside = s->substr(1, close - 1);
  s->remove_prefix(close + 1);
  return inside;
}

}  // namespace

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string_view DeviceFromPath(std::string_view path) {
  size_t cut = path.find_last_of("/\\].");
  std::string_view d = cut == std::string_view::npos ? path : path.substr(cut + 1);
  d = d.substr(0, d.find('@'));
  if (d.empty()) return {};
  for (char c : d) {
    if (!DeviceChar(c)) return {};
  }
  return d;
}

bool IsInteger(std::string_view v) {
  if (!v.empty() && (v[0] == '-' || v[0] == '+')) v.remove_prefix(1);
  if (v.empty()) return false;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string CheckPlcDebug(std::string_view line, DebugLine* out) {
  // 2025-09-22 13:00:00.199 [Debug] [SYSTEM/PATH/DEV-123] [INPUT2:I_MOVE_IN] (Boolean) : ON
  if (line.size() < 24 || !ValidTimestamp(line.substr(0, 23))) return "bad timestamp";
  out->ts = line.substr(0, 23);
  std::string_view s = line.substr(23);
  if (s.substr(0, 1) != " ") return "no space after timestamp";
  s.remove_prefix(1);
  bool ok = true;
  out->level = Bracket(&s, &ok);
  if (!ok || s.substr(0, 1) != " ") return "bad level";
  s.remove_prefix(1);
  out->path = Bracket(&s, &ok);
  if (!ok || s.substr(0, 1) != " ") return "bad path";
  s.remove_prefix(1);
  std::string_view third = Bracket(&s, &ok);
  size_t colon = third.find(':');
  if (!ok || colon == std::string_view::npos) return "bad category:signal";
  out->category = third.substr(0, colon);
  out->signal = third.substr(colon + 1);
  if (out->category.empty() || out->signal.empty()) return "empty category or signal";
  if (s.substr(0, 2) != " (") return "no declared type";
  size_t close = s.find(')');
  if (close == std::string_view::npos) return "unclosed declared type";
  out->dtype = s.substr(2, close - 2);
  s.remove_prefix(close + 1);
  if (s.substr(0, 3) != " : ") return "no ' : ' before value";
  out->value = s.substr(3);
  if (out->value.empty() || out->value.front() == ' ' || out->value.back() == ' ') {
    return "value empty or untrimmed";
  }
  if (DeviceFromPath(out->path).empty()) return "no device in path";
  if (out->dtype == "Boolean") {
    if (out->value != "ON" && out->value != "OFF") return "Boolean value not ON/OFF";
  } else if (out->dtype == "Integer") {
    if (!IsInteger(out->value)) return "Integer value not an integer";
  } else if (out->dtype != "String") {
    return "unknown declared type";
  }
  return "";
}

std::string CheckPlcTab(std::string_view line, std::string_view* device, std::string_view* signal,
                        std::string_view* value) {
  // 2026-02-05 00:00:00.026 [] B1ACNV13301-596\tI_BUFFER_STATUS            \tIN
  // \t0\t\tCNV_202:7\tT\tT\t2026-02-05 00:00:00.026
  if (line.size() < 28 || !ValidTimestamp(line.substr(0, 23))) return "bad timestamp";
  if (line.substr(23, 4) != " [] ") return "no ' [] ' after timestamp";
  std::vector<std::string_view> fields;
  std::string_view s = line.substr(27);
  for (size_t tab; (tab = s.find('\t')) != std::string_view::npos; s.remove_prefix(tab + 1)) {
    fields.push_back(s.substr(0, tab));
  }
  fields.push_back(s);
  if (fields.size() < 4) return "fewer than 4 tab-separated fields";
  *device = DeviceFromPath(fields[0]);
  if (device->empty()) return "no device in path";
  std::string_view sig = fields[1];
  while (!sig.empty() && sig.back() == ' ') sig.remove_suffix(1);
  if (sig.empty()) return "empty signal";
  *signal = sig;
  std::string_view dir = fields[2];
  while (!dir.empty() && dir.back() == ' ') dir.remove_suffix(1);
  if (dir != "IN" && dir != "OUT" && dir != "STS") return "unknown direction";
  *value = fields[3];
  if (value->empty()) return "empty value";
  if (fields.size() >= 9 && !ValidTimestamp(fields.back())) return "bad trailing timestamp";
  return "";
}

std::string CheckMcs(std::string_view line, std::string_view* action, std::string_view* device) {
  // 2025-12-05 00:00:35.404 [UPDATE=CMD123, CAR-789] [CarrierLoc=B1ACNV13301-120], [Priority=5]
  if (line.size() < 24 || !ValidTimestamp(line.substr(0, 23))) return "bad timestamp";
  std::string_view s = line.substr(23);
  if (s.substr(0, 1) != " ") return "no space after timestamp";
  s.remove_prefix(1);
  bool ok = true;
  std::string_view head = Bracket(&s, &ok);
  size_t eq = head.find('=');
  if (!ok || eq == std::string_view::npos) return "bad head";
  *action = head.substr(0, eq);
  if (*action != "ADD" && *action != "UPDATE" && *action != "REMOVE") return "unknown action";
  std::string_view ids = head.substr(eq + 1);
  size_t comma = ids.find(", ");
  *device = comma == std::string_view::npos ? ids : ids.substr(comma + 2);
  if (device->empty() || DeviceFromPath(*device) != *device) return "bad id";
  while (!s.empty()) {
    if (s.substr(0, 2) == ", ") s.remove_prefix(2);
    if (s.substr(0, 1) == " ") s.remove_prefix(1);
    std::string_view group = Bracket(&s, &ok);
    if (!ok) return "bad group";
    size_t geq = group.find('=');
    if (geq == std::string_view::npos || geq == 0) return "group without key";
  }
  return "";
}

std::string CheckCsv(std::string_view line, std::string_view* device, std::string_view* signal,
                     std::string* value) {
  // 2025-10-21 23:08:27.995,B1ACNV13309-104@D19,B,62
  size_t c1 = line.find(',');
  if (c1 == std::string_view::npos || !ValidTimestamp(line.substr(0, c1))) return "bad timestamp";
  size_t c2 = line.find(',', c1 + 1);
  size_t c3 = c2 == std::string_view::npos ? c2 : line.find(',', c2 + 1);
  if (c3 == std::string_view::npos) return "fewer than 4 fields";
  *device = DeviceFromPath(line.substr(c1 + 1, c2 - c1 - 1));
  if (device->empty()) return "no device";
  *signal = line.substr(c2 + 1, c3 - c2 - 1);
  if (signal->empty()) return "empty signal";
  std::string_view v = line.substr(c3 + 1);
  value->clear();
  if (!v.empty() && v.front() == '"') {
    if (v.size() < 2 || v.back() != '"') return "unterminated quote";
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '"') {
        if (v[i + 1] != '"') return "bad quote";
        ++i;
      }
      value->push_back(v[i]);
    }
  } else {
    if (v.find('"') != std::string_view::npos) return "stray quote";
    value->assign(v);
  }
  if (value->empty()) return "empty value";
  return "";
}

}  // namespace plcscope::gen::testing
