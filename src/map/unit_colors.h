// UnitColorPlan: which signals decide each unit's color, resolved once for a
// (session, rules, units) triple so that a playback frame costs one binary
// search per (unit, rule signal) and nothing else. Immutable after Build();
// Evaluate() is const and safe from many threads. Holds a shared_ptr to the
// store it reads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "map/rules.h"
#include "store/store.h"

namespace plcscope::map {

// The latest row of `signal` at or before `t_ns`, if any (per-signal index,
// one binary search).
std::optional<uint64_t> RowAtOrBefore(const store::Store& store, uint32_t signal, int64_t t_ns);

struct UnitColor {
  int32_t rule = -1;  // index into RuleSet::rules of the first match; -1: default color
  // The signal whose value matched (-1 when rule is -1).
  int64_t signal = -1;
};

class UnitColorPlan {
 public:
  // `units` are the unit ids to color (usually Layout::UnitIds()). A device of
  // the session belongs to the unit RuleSet::UnitOf() names.
  static std::shared_ptr<const UnitColorPlan> Build(std::shared_ptr<const store::Store> store,
                                                    std::shared_ptr<const RuleSet> rules,
                                                    std::vector<std::string> units);

  const std::vector<std::string>& units() const { return units_; }
  const RuleSet& rules() const { return *rules_; }
  const store::Store& store() const { return *store_; }
  // Device indices of the store that belong to unit `u`.
  const std::vector<uint32_t>& unit_devices(size_t u) const { return unit_devices_[u]; }

  // One UnitColor per unit, in units() order, for the values in force at t.
  void Evaluate(int64_t t_ns, std::vector<UnitColor>* out) const;

 private:
  UnitColorPlan() = default;
  std::shared_ptr<const store::Store> store_;
  std::shared_ptr<const RuleSet> rules_;
  std::vector<std::string> units_;
  std::vector<std::vector<uint32_t>> unit_devices_;
  // Per unit, per rule: the candidate signals, flattened. Unit u, rule r uses
  // signals_[offsets_[u * rule_count + r] .. offsets_[u * rule_count + r + 1]).
  std::vector<uint32_t> offsets_;
  std::vector<uint32_t> signals_;
};

}  // namespace plcscope::map
