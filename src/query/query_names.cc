// Names of the API's enumerations (docs/api.md, docs/ui.md), parsed case-insensitively.
#include <string>
#include <string_view>

#include "query/query.h"

namespace plcscope::query {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

}  // namespace

bool ParseSortField(std::string_view name, SortField* out) {
  const std::string n = Lower(name);
  if (n == "timestamp" || n == "time") {
    *out = SortField::kTimestamp;
  } else if (n == "deviceid" || n == "device") {
    *out = SortField::kDeviceId;
  } else if (n == "signalname" || n == "signal") {
    *out = SortField::kSignalName;
  } else if (n == "category") {
    *out = SortField::kCategory;
  } else if (n == "value") {
    *out = SortField::kValue;
  } else if (n == "type" || n == "signaltype") {
    *out = SortField::kType;
  } else {
    return false;
  }
  return true;
}

bool ParseRuleType(std::string_view name, RuleType* out) {
  const std::string n = Lower(name);
  if (n == "cycle" || n == "a_to_a" || n == "atoa" || n == "a->a") {
    *out = RuleType::kCycle;
  } else if (n == "a_to_b" || n == "atob" || n == "a->b" || n == "a-b" || n == "interval") {
    *out = RuleType::kAToB;
  } else if (n == "value_populated" || n == "valuepopulated" || n == "populated" ||
             n == "value-populated") {
    *out = RuleType::kValuePopulated;
  } else {
    return false;
  }
  return true;
}

bool ParseConditionOp(std::string_view name, ConditionOp* out) {
  const std::string n = Lower(name);
  if (n == "equals" || n == "eq" || n == "==" || n == "=") {
    *out = ConditionOp::kEquals;
  } else if (n == "not_equals" || n == "notequals" || n == "ne" || n == "!=" || n == "not-equals") {
    *out = ConditionOp::kNotEquals;
  } else if (n == "greater" || n == "gt" || n == ">") {
    *out = ConditionOp::kGreater;
  } else if (n == "less" || n == "lt" || n == "<") {
    *out = ConditionOp::kLess;
  } else if (n == "not_empty" || n == "notempty" || n == "not-empty" || n == "nonempty") {
    *out = ConditionOp::kNotEmpty;
  } else {
    return false;
  }
  return true;
}

const char* IntervalStatusName(IntervalStatus s) {
  switch (s) {
    case IntervalStatus::kOk:
      return "ok";
    case IntervalStatus::kAbove:
      return "above";
    case IntervalStatus::kBelow:
      return "below";
    case IntervalStatus::kNoTarget:
      return "no-target";
  }
  return "no-target";
}

}  // namespace plcscope::query
