#include "map/unit_colors.h"

#include <algorithm>
#include <unordered_map>

namespace plcscope::map {

std::optional<uint64_t> RowAtOrBefore(const store::Store& store, uint32_t signal, int64_t t_ns) {
  std::span<const uint32_t> rows = store.signal_rows(signal);
  std::span<const int64_t> time = store.row_time();
  auto it = std::upper_bound(rows.begin(), rows.end(), t_ns,
                             [&](int64_t t, uint32_t row) { return t < time[row]; });
  if (it == rows.begin()) return std::nullopt;
  return *(it - 1);
}

std::shared_ptr<const UnitColorPlan> UnitColorPlan::Build(std::shared_ptr<const store::Store> store,
                                                          std::shared_ptr<const RuleSet> rules,
                                                          std::vector<std::string> units) {
  std::shared_ptr<UnitColorPlan> plan(new UnitColorPlan());
  const store::Store& s = *store;
  std::unordered_map<std::string_view, size_t> unit_index;
  for (size_t u = 0; u < units.size(); ++u) unit_index.emplace(units[u], u);
  plan->unit_devices_.resize(units.size());
  for (uint32_t d = 0; d < s.devices().size(); ++d) {
    auto it = unit_index.find(rules->UnitOf(s.str(s.devices()[d].name)));
    if (it != unit_index.end()) plan->unit_devices_[it->second].push_back(d);
  }

  // Signals of each device, grouped: the store sorts signals by key text, so
  // one device's signals are not contiguous in general.
  std::vector<std::vector<uint32_t>> device_signals(s.devices().size());
  for (uint32_t i = 0; i < s.signals().size(); ++i) {
    device_signals[s.signals()[i].device].push_back(i);
  }

  const size_t rule_count = rules->rules.size();
  plan->offsets_.reserve(units.size() * rule_count + 1);
  plan->offsets_.push_back(0);
  for (size_t u = 0; u < units.size(); ++u) {
    for (const Rule& rule : rules->rules) {
      size_t sep = rule.signal.find("::");
      for (uint32_t d : plan->unit_devices_[u]) {
        std::string_view device = s.str(s.devices()[d].name);
        std::string_view want = rule.signal;
        if (sep != std::string::npos) {
          if (want.substr(0, sep) != device) continue;
          want = want.substr(sep + 2);
        }
        for (uint32_t sig : device_signals[d]) {
          if (s.str(s.signals()[sig].name) == want) plan->signals_.push_back(sig);
        }
      }
      plan->offsets_.push_back(static_cast<uint32_t>(plan->signals_.size()));
    }
  }
  plan->store_ = std::move(store);
  plan->rules_ = std::move(rules);
  plan->units_ = std::move(units);
  return plan;
}

void UnitColorPlan::Evaluate(int64_t t_ns, std::vector<UnitColor>* out) const {
  const store::Store& s = *store_;
  const size_t rule_count = rules_->rules.size();
  out->assign(units_.size(), UnitColor{});
  for (size_t u = 0; u < units_.size(); ++u) {
    for (size_t r = 0; r < rule_count && (*out)[u].rule < 0; ++r) {
      size_t k = u * rule_count + r;
      for (uint32_t i = offsets_[k]; i < offsets_[k + 1]; ++i) {
        uint32_t sig = signals_[i];
        std::optional<uint64_t> row = RowAtOrBefore(s, sig, t_ns);
        if (!row) continue;
        if (RuleMatches(rules_->rules[r], s.Shown(sig, s.row_value()[*row]))) {
          (*out)[u] = UnitColor{static_cast<int32_t>(r), sig};
          break;
        }
      }
    }
  }
}

}  // namespace plcscope::map
