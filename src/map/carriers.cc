#include "map/carriers.h"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace plcscope::map {
namespace {

struct DeviceSignals {
  int64_t location = -1;
  int64_t action = -1;
  int64_t command = -1;
};

std::string_view RowText(const store::Store& s, uint32_t row) {
  return s.str(s.values()[s.row_value()[row]].text);
}

}  // namespace

std::shared_ptr<const CarrierTracker> CarrierTracker::Build(
    std::shared_ptr<const store::Store> store) {
  std::shared_ptr<CarrierTracker> tracker(new CarrierTracker());
  const store::Store& s = *store;
  std::span<const int64_t> time = s.row_time();

  std::vector<DeviceSignals> by_device(s.devices().size());
  for (uint32_t i = 0; i < s.signals().size(); ++i) {
    const store::SignalRecord& sig = s.signals()[i];
    std::string_view name = s.str(sig.name);
    if (name == "CurrentLocation") by_device[sig.device].location = i;
    if (name == "_Action") by_device[sig.device].action = i;
    if (name == "_CommandID") by_device[sig.device].command = i;
  }

  // One-id REMOVE lines name a command: "2024-01-15 10:30:47.345 [REMOVE=CMD001]".
  std::unordered_map<std::string_view, std::vector<int64_t>> command_removed;
  std::vector<uint32_t> carrier_devices;
  for (uint32_t d = 0; d < by_device.size(); ++d) {
    if (by_device[d].location >= 0) {
      carrier_devices.push_back(d);
    } else if (by_device[d].action >= 0) {
      for (uint32_t row : s.signal_rows(static_cast<uint32_t>(by_device[d].action))) {
        if (RowText(s, row) == "REMOVE") {
          command_removed[s.str(s.devices()[d].name)].push_back(time[row]);
        }
      }
    }
  }
  std::sort(carrier_devices.begin(), carrier_devices.end(), [&](uint32_t a, uint32_t b) {
    return s.str(s.devices()[a].name) < s.str(s.devices()[b].name);
  });

  std::vector<Event> raw;
  tracker->begin_.push_back(0);
  for (uint32_t c = 0; c < carrier_devices.size(); ++c) {
    const DeviceSignals& ds = by_device[carrier_devices[c]];
    tracker->carriers_.push_back(s.str(s.devices()[carrier_devices[c]].name));
    raw.clear();
    for (uint32_t row : s.signal_rows(static_cast<uint32_t>(ds.location))) {
      raw.push_back({time[row], c, s.values()[s.row_value()[row]].text});
    }
    if (ds.action >= 0) {
      for (uint32_t row : s.signal_rows(static_cast<uint32_t>(ds.action))) {
        if (RowText(s, row) == "REMOVE") raw.push_back({time[row], c, kGone});
      }
    }
    if (ds.command >= 0 && !command_removed.empty()) {
      std::span<const uint32_t> rows = s.signal_rows(static_cast<uint32_t>(ds.command));
      for (size_t i = 0; i < rows.size(); ++i) {
        auto it = command_removed.find(RowText(s, rows[i]));
        if (it == command_removed.end()) continue;
        int64_t from = time[rows[i]];
        int64_t to = i + 1 < rows.size() ? time[rows[i + 1]] : INT64_MAX;
        for (int64_t t : it->second) {
          if (t >= from && t < to) raw.push_back({t, c, kGone});
        }
      }
    }
    // At equal times a removal comes after a location: the line
    // "[REMOVE=CMD1, CAR1] [CarrierLoc=X]" leaves the carrier gone.
    std::stable_sort(raw.begin(), raw.end(), [](const Event& a, const Event& b) {
      if (a.t_ns != b.t_ns) return a.t_ns < b.t_ns;
      return (a.location == kGone) < (b.location == kGone);
    });
    uint32_t state = kGone;
    for (const Event& e : raw) {
      if (e.location == state) continue;
      state = e.location;
      tracker->by_carrier_.push_back(e);
    }
    tracker->begin_.push_back(static_cast<uint32_t>(tracker->by_carrier_.size()));
  }

  tracker->events_ = tracker->by_carrier_;
  std::stable_sort(tracker->events_.begin(), tracker->events_.end(),
                   [](const Event& a, const Event& b) { return a.t_ns < b.t_ns; });
  tracker->store_ = std::move(store);
  return tracker;
}

std::vector<CarrierTracker::Position> CarrierTracker::At(int64_t t_ns) const {
  std::vector<Position> out;
  for (uint32_t c = 0; c < carriers_.size(); ++c) {
    auto first = by_carrier_.begin() + begin_[c];
    auto last = by_carrier_.begin() + begin_[c + 1];
    auto it =
        std::upper_bound(first, last, t_ns, [](int64_t t, const Event& e) { return t < e.t_ns; });
    if (it == first) continue;
    --it;
    if (it->location == kGone) continue;
    out.push_back({c, it->location, it->t_ns});
  }
  return out;
}

std::vector<CarrierTracker::Event> CarrierTracker::Changes(int64_t start_ns, int64_t end_ns,
                                                           size_t limit, bool* truncated) const {
  *truncated = false;
  std::vector<Event> out;
  auto it = std::upper_bound(events_.begin(), events_.end(), start_ns,
                             [](int64_t t, const Event& e) { return t < e.t_ns; });
  for (; it != events_.end() && it->t_ns <= end_ns; ++it) {
    if (out.size() == limit) {
      *truncated = true;
      break;
    }
    out.push_back(*it);
  }
  return out;
}

}  // namespace plcscope::map
