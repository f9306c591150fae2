// Map rules: how a map colors its units and which devices belong to which
// unit (docs/formats.md §7, docs/map.md). ParseRulesYaml validates a YAML file and
// names the line of each problem. RuleSet is an immutable value after parsing,
// safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/value_text.h"
#include "store/store.h"

namespace plcscope::map {

enum class RuleOp : uint8_t { kEq, kNe, kGt, kGe, kLt, kLe };
const char* RuleOpText(RuleOp op);  // "==", "!=", ...

// A rule's literal: a YAML plain scalar is inferred like a log value
// (true/ON -> boolean, 5 -> integer, 2.5 -> float); a quoted one is a string.
struct RuleValue {
  base::ValueType kind = base::ValueType::kString;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string text;  // as written
};

struct Rule {
  std::string signal;  // a bare signal name (any device of the unit) or "device::signal"
  RuleOp op = RuleOp::kEq;
  RuleValue value;
  std::string color;
  std::string bg_color;
  std::string text;
  std::string text_color;
  int64_t priority = 0;
  int line = 0;  // 1-based line of the rule in the YAML
};

struct DeviceUnitPattern {
  std::string pattern;  // `*` matches any run of characters; the whole id must match
  std::string unit_id;
};

struct RuleSet {
  std::string default_color = "#D3D3D3";
  std::vector<DeviceUnitPattern> device_to_unit;
  // Evaluation order: higher priority first, equal priorities in file order.
  std::vector<Rule> rules;

  // The unit a device belongs to: the first matching pattern's unit id, or
  // the device id itself when no pattern matches.
  std::string_view UnitOf(std::string_view device) const;
};

// The deepest nesting of collections a rules file may have (the root is
// level 1; a rules file needs 4).
inline constexpr int kMaxRulesDepth = 64;

// Parses and validates rules YAML. Errors are InvalidArgument sentences that
// start with "line N:"; a file nested deeper than kMaxRulesDepth, or whose
// aliases expand far beyond its own size, is one. Never throws.
base::Result<RuleSet> ParseRulesYaml(std::string_view yaml);

// True when `text` matches `pattern` as a whole; `*` matches any run (even
// empty), every other character matches itself.
bool GlobMatch(std::string_view pattern, std::string_view text);

// Whether a signal's shown value satisfies `value op literal`. Booleans count
// as 0/1 against numbers; strings that spell a number or a boolean word
// compare as such; ordering needs two numbers. != is the negation of ==.
bool RuleMatches(const Rule& rule, const store::ShownValue& value);

}  // namespace plcscope::map
