#include "query/signal_names.h"

namespace plcscope::query {

SignalNames::SignalNames(const store::Store& store) : store_(store) {
  const auto signals = store.signals();
  for (uint32_t s = 0; s < signals.size(); ++s) by_name_[store.str(signals[s].name)].push_back(s);
}

void SignalNames::Resolve(std::string_view name, std::vector<uint32_t>* out) const {
  const int64_t key = store_.FindSignal(name);
  if (key >= 0) {
    out->push_back(static_cast<uint32_t>(key));
    return;
  }
  auto it = by_name_.find(name);
  if (it != by_name_.end()) out->insert(out->end(), it->second.begin(), it->second.end());
}

std::vector<uint32_t> SignalNames::ResolveAll(std::span<const std::string> names) const {
  std::vector<uint32_t> out;
  std::vector<uint32_t> one;
  std::vector<bool> seen(store_.signals().size(), false);
  for (const std::string& name : names) {
    one.clear();
    Resolve(name, &one);
    for (uint32_t s : one) {
      if (seen[s]) continue;
      seen[s] = true;
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace plcscope::query
