#include "map/rules.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "base/utf8.h"

namespace plcscope::map {
namespace {

// Text of the file as it will reach JSON: invalid UTF-8 repaired (U+FFFD).
std::string Utf8(const std::string& s) { return base::IsValidUtf8(s) ? s : base::RepairUtf8(s); }

int LineOf(const YAML::Node& n) { return n.Mark().line + 1; }

base::Status Error(const YAML::Node& n, const std::string& what) {
  return base::InvalidArgument("line " + std::to_string(LineOf(n)) + ": " + what);
}

// Reads an optional scalar field as text; an error when it is a list or map.
base::Status ScalarField(const YAML::Node& parent, const char* key, std::string* out,
                         bool required) {
  YAML::Node n = parent[key];
  if (!n || n.IsNull()) {
    if (required) return Error(parent, std::string("missing \"") + key + "\"");
    return base::Status::Ok();
  }
  if (!n.IsScalar()) return Error(n, std::string("\"") + key + "\" must be a single value");
  *out = Utf8(n.Scalar());
  return base::Status::Ok();
}

std::string TooDeep() {
  return "the rules YAML is nested deeper than " + std::to_string(kMaxRulesDepth) + " levels";
}

// The 1-based line where flow collections ([ and {) first nest deeper than
// `max_depth`, or 0. Skips comments and quoted scalars; a linear scan.
int FlowNestsDeeperThan(std::string_view text, int max_depth) {
  int depth = 0, line = 1;
  char quote = 0;  // '"' or '\'' inside a quoted scalar
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    const char prev = i == 0 ? ' ' : text[i - 1];
    if (quote != 0) {
      if (quote == '"' && c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    const bool token_start = prev == ' ' || prev == '\t' || prev == '\n' || prev == '[' ||
                             prev == '{' || prev == ',' || prev == ':';
    if (c == '#' && (prev == ' ' || prev == '\t' || prev == '\n' || i == 0)) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if ((c == '"' || c == '\'') && (token_start || i == 0)) {
      quote = c;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return line;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return 0;
}

// Bounds what the parsed document may cost to read, walking it iteratively
// (aliases can make it a graph, even a cycle): at most kMaxRulesDepth levels,
// a bounded number of node visits, and scalar bytes in proportion to the
// text. Catches alias blow-ups ("billion laughs") before any copy is made.
base::Status CheckShape(const YAML::Node& root, size_t text_bytes) {
  constexpr size_t kMaxVisits = 200'000;
  const size_t max_scalar_bytes = 4 * text_bytes + (1 << 20);
  size_t visits = 0, scalar_bytes = 0;
  std::vector<std::pair<YAML::Node, int>> todo;
  todo.emplace_back(root, 1);
  while (!todo.empty()) {
    auto [n, depth] = std::move(todo.back());
    todo.pop_back();
    if (++visits > kMaxVisits) {
      return Error(n, "the rules YAML expands to more than " + std::to_string(kMaxVisits) +
                          " values (aliases repeat too much)");
    }
    if (depth > kMaxRulesDepth) return Error(n, TooDeep());
    if (n.IsScalar()) {
      scalar_bytes += n.Scalar().size();
      if (scalar_bytes > max_scalar_bytes) {
        return Error(n, "the rules YAML expands to more than " + std::to_string(max_scalar_bytes) +
                            " bytes of text (aliases repeat "
                            "too much)");
      }
    } else if (n.IsSequence()) {
      for (const YAML::Node& item : n) todo.emplace_back(item, depth + 1);
    } else if (n.IsMap()) {
      for (const auto& kv : n) {
        todo.emplace_back(kv.first, depth + 1);
        todo.emplace_back(kv.second, depth + 1);
      }
    }
  }
  return base::Status::Ok();
}

bool ParseOp(std::string_view s, RuleOp* op) {
  static constexpr std::pair<std::string_view, RuleOp> kOps[] = {
      {"==", RuleOp::kEq}, {"!=", RuleOp::kNe}, {">", RuleOp::kGt},
      {">=", RuleOp::kGe}, {"<", RuleOp::kLt},  {"<=", RuleOp::kLe}};
  for (const auto& [text, value] : kOps) {
    if (s == text) {
      *op = value;
      return true;
    }
  }
  return false;
}

RuleValue ReadValue(const YAML::Node& n) {
  RuleValue v;
  v.text = Utf8(n.Scalar());
  // A quoted scalar carries the "!" tag: it stays a string.
  if (n.Tag() == "!") return v;
  base::ParsedValue p = base::InferValue(base::Trim(v.text), base::DeclaredType::kInfer);
  v.kind = p.kind;
  v.b = p.kind == base::ValueType::kBoolean && p.bits != 0;
  v.i = p.bits;
  v.d = p.AsDouble();
  return v;
}

base::Result<Rule> ReadRule(const YAML::Node& n) {
  if (!n.IsMap()) return Error(n, "a rule must be a mapping with signal, op, value, color");
  Rule r;
  r.line = LineOf(n);
  std::string op;
  PLCSCOPE_RETURN_IF_ERROR(ScalarField(n, "signal", &r.signal, true));
  if (base::Trim(r.signal).empty()) return Error(n, "\"signal\" is empty");
  PLCSCOPE_RETURN_IF_ERROR(ScalarField(n, "op", &op, false));
  if (op.empty()) op = "==";
  if (!ParseOp(op, &r.op)) {
    return Error(n["op"], "unknown op \"" + op + "\"; expected one of == != > >= < <=");
  }
  YAML::Node value = n["value"];
  if (!value || value.IsNull()) return Error(n, "missing \"value\"");
  if (!value.IsScalar()) return Error(value, "\"value\" must be a single value");
  r.value = ReadValue(value);
  PLCSCOPE_RETURN_IF_ERROR(ScalarField(n, "color", &r.color, false));
  PLCSCOPE_RETURN_IF_ERROR(ScalarField(n, "bg_color", &r.bg_color, false));
  PLCSCOPE_RETURN_IF_ERROR(ScalarField(n, "text", &r.text, false));
  PLCSCOPE_RETURN_IF_ERROR(ScalarField(n, "text_color", &r.text_color, false));
  if (r.color.empty() && r.bg_color.empty() && r.text.empty()) {
    return Error(n, "a rule needs at least one of color, bg_color, text");
  }
  std::string priority;
  PLCSCOPE_RETURN_IF_ERROR(ScalarField(n, "priority", &priority, false));
  if (!priority.empty() && !base::ParseInteger(base::Trim(priority), &r.priority)) {
    return Error(n["priority"], "\"priority\" must be an integer, not \"" + priority + "\"");
  }
  return r;
}

base::Status ParseInto(const YAML::Node& root, RuleSet* set) {
  if (!root || root.IsNull()) return base::Status::Ok();  // an empty file: no rules
  if (!root.IsMap()) return Error(root, "the rules file must be a mapping");
  PLCSCOPE_RETURN_IF_ERROR(ScalarField(root, "default_color", &set->default_color, false));
  if (set->default_color.empty()) set->default_color = "#D3D3D3";

  if (YAML::Node list = root["device_to_unit"]; list && !list.IsNull()) {
    if (!list.IsSequence()) return Error(list, "\"device_to_unit\" must be a list");
    for (const YAML::Node& item : list) {
      if (!item.IsMap()) return Error(item, "a device_to_unit entry needs pattern and unit_id");
      DeviceUnitPattern p;
      PLCSCOPE_RETURN_IF_ERROR(ScalarField(item, "pattern", &p.pattern, true));
      PLCSCOPE_RETURN_IF_ERROR(ScalarField(item, "unit_id", &p.unit_id, true));
      if (p.pattern.empty()) return Error(item, "\"pattern\" is empty");
      if (p.unit_id.empty()) return Error(item, "\"unit_id\" is empty");
      set->device_to_unit.push_back(std::move(p));
    }
  }

  if (YAML::Node list = root["rules"]; list && !list.IsNull()) {
    if (!list.IsSequence()) return Error(list, "\"rules\" must be a list");
    for (const YAML::Node& item : list) {
      base::Result<Rule> r = ReadRule(item);
      if (!r.ok()) return r.status();
      set->rules.push_back(std::move(r).value());
    }
  }
  std::stable_sort(set->rules.begin(), set->rules.end(),
                   [](const Rule& a, const Rule& b) { return a.priority > b.priority; });
  return base::Status::Ok();
}

// A comparable view of a value: a number when it has one, else text.
struct Operand {
  bool numeric = false;
  double number = 0;
  bool has_bool = false;
  bool boolean = false;
  std::string_view text;
};

Operand FromShown(const store::ShownValue& v) {
  Operand o;
  switch (v.type) {
    case base::ValueType::kBoolean:
      o.numeric = o.has_bool = true;
      o.boolean = v.b;
      o.number = v.b ? 1 : 0;
      break;
    case base::ValueType::kInteger:
      o.numeric = true;
      o.number = static_cast<double>(v.i);
      break;
    case base::ValueType::kFloat:
      o.numeric = true;
      o.number = v.d;
      break;
    case base::ValueType::kString:
      o.text = v.s;
      break;
  }
  return o;
}

// A string operand that spells a number or a boolean word gains that reading.
void Widen(Operand* o) {
  if (o->numeric) return;
  std::string_view t = base::Trim(o->text);
  int64_t i;
  double d;
  bool b;
  if (base::ParseInteger(t, &i)) {
    o->numeric = true;
    o->number = static_cast<double>(i);
  } else if (base::ParseFloat(t, &d)) {
    o->numeric = true;
    o->number = d;
  } else if (base::ParseBooleanWord(t, &b)) {
    o->numeric = o->has_bool = true;
    o->boolean = b;
    o->number = b ? 1 : 0;
  }
}

bool Equal(Operand a, Operand b) {
  if (!a.numeric && !b.numeric) return a.text == b.text;
  Widen(&a);
  Widen(&b);
  if (a.numeric && b.numeric) return a.number == b.number;
  return false;
}

}  // namespace

const char* RuleOpText(RuleOp op) {
  switch (op) {
    case RuleOp::kEq:
      return "==";
    case RuleOp::kNe:
      return "!=";
    case RuleOp::kGt:
      return ">";
    case RuleOp::kGe:
      return ">=";
    case RuleOp::kLt:
      return "<";
    case RuleOp::kLe:
      return "<=";
  }
  return "==";
}

std::string_view RuleSet::UnitOf(std::string_view device) const {
  for (const DeviceUnitPattern& p : device_to_unit) {
    if (GlobMatch(p.pattern, device)) return p.unit_id;
  }
  return device;
}

base::Result<RuleSet> ParseRulesYaml(std::string_view yaml) {
  // yaml-cpp parses recursively: refuse deep flow nesting before it runs.
  if (int line = FlowNestsDeeperThan(yaml, kMaxRulesDepth); line > 0) {
    return base::InvalidArgument("line " + std::to_string(line) + ": " + TooDeep());
  }
  RuleSet set;
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    PLCSCOPE_RETURN_IF_ERROR(CheckShape(root, yaml.size()));
    PLCSCOPE_RETURN_IF_ERROR(ParseInto(root, &set));
  } catch (const YAML::DeepRecursion& e) {
    return base::InvalidArgument("line " + std::to_string(e.mark.line + 1) + ": " + TooDeep());
  } catch (const YAML::Exception& e) {
    return base::InvalidArgument("line " + std::to_string(e.mark.line + 1) +
                                 ": invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    return base::InvalidArgument(std::string("invalid YAML: ") + e.what());
  }
  return set;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative wildcard match with one backtrack point: linear for one `*`,
  // O(n*m) worst case, no allocation.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool RuleMatches(const Rule& rule, const store::ShownValue& value) {
  Operand a = FromShown(value);
  Operand b;
  switch (rule.value.kind) {
    case base::ValueType::kBoolean:
      b.numeric = b.has_bool = true;
      b.boolean = rule.value.b;
      b.number = rule.value.b ? 1 : 0;
      break;
    case base::ValueType::kInteger:
      b.numeric = true;
      b.number = static_cast<double>(rule.value.i);
      break;
    case base::ValueType::kFloat:
      b.numeric = true;
      b.number = rule.value.d;
      break;
    case base::ValueType::kString:
      b.text = rule.value.text;
      break;
  }
  if (rule.op == RuleOp::kEq) return Equal(a, b);
  if (rule.op == RuleOp::kNe) return !Equal(a, b);
  Widen(&a);
  Widen(&b);
  if (!a.numeric || !b.numeric) return false;
  switch (rule.op) {
    case RuleOp::kGt:
      return a.number > b.number;
    case RuleOp::kGe:
      return a.number >= b.number;
    case RuleOp::kLt:
      return a.number < b.number;
    case RuleOp::kLe:
      return a.number <= b.number;
    default:
      return false;
  }
}

}  // namespace plcscope::map
