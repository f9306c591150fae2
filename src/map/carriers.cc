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

}  // namespace

std::shared_ptr<const CarrierTracker> CarrierTracker::Build(
    std::shared_ptr<const store::Store> store) {
  std::shared_ptr<CarrierTracker> tracker(new CarrierTracker());
  const store::Store& s = *store;

  // Carriers: devices with a CurrentLocation signal, numbered in name order.
  std::vector<DeviceSignals> by_device(s.devices().size());
  for (uint32_t i = 0; i < s.signals().size(); ++i) {
    const store::SignalRecord& sig = s.signals()[i];
    std::string_view name = s.str(sig.name);
    if (name == "CurrentLocation") by_device[sig.device].location = i;
    if (name == "_Action") by_device[sig.device].action = i;
    if (name == "_CommandID") by_device[sig.device].command = i;
  }
  std::vector<uint32_t> carrier_devices;
  for (uint32_t d = 0; d < by_device.size(); ++d) {
    if (by_device[d].location >= 0) carrier_devices.push_back(d);
  }
  std::sort(carrier_devices.begin(), carrier_devices.end(), [&](uint32_t a, uint32_t b) {
    return s.str(s.devices()[a].name) < s.str(s.devices()[b].name);
  });

  // What each signal means to the tracker, and for whom.
  enum Role : uint8_t { kNone, kLocation, kAction, kCommand, kCommandAction };
  std::vector<uint8_t> role(s.signals().size(), kNone);
  std::vector<uint32_t> owner(s.signals().size(), 0);  // carrier index, or command name id
  for (uint32_t c = 0; c < carrier_devices.size(); ++c) {
    const DeviceSignals& ds = by_device[carrier_devices[c]];
    tracker->carriers_.push_back(s.str(s.devices()[carrier_devices[c]].name));
    role[ds.location] = kLocation;
    owner[ds.location] = c;
    if (ds.action >= 0) role[ds.action] = kAction, owner[ds.action] = c;
    if (ds.command >= 0) role[ds.command] = kCommand, owner[ds.command] = c;
  }
  for (uint32_t d = 0; d < by_device.size(); ++d) {
    // "2024-01-15 10:30:47.345 [REMOVE=CMD001]": the device is the command.
    if (by_device[d].location < 0 && by_device[d].action >= 0) {
      role[by_device[d].action] = kCommandAction;
      owner[by_device[d].action] = s.devices()[d].name;
    }
  }
  // Values compare by id: device names and value texts share one string pool.
  std::vector<bool> is_remove(s.values().size());
  for (uint32_t v = 0; v < s.values().size(); ++v) {
    is_remove[v] = s.str(s.values()[v].text) == "REMOVE";
  }

  // One pass over the rows in time order: events come out already sorted.
  const size_t n = carrier_devices.size();
  std::vector<uint32_t> state(n, kGone);
  std::vector<int64_t> gone_at(n, INT64_MIN);
  std::vector<uint32_t> command(n, UINT32_MAX);
  std::unordered_map<uint32_t, uint32_t> command_carrier;  // command name id -> carrier
  auto emit = [&](int64_t t, uint32_t c, uint32_t loc) {
    if (loc == state[c]) return;
    // "[REMOVE=CMD1, CAR1] [CarrierLoc=X]": a location in the removing line
    // does not bring the carrier back.
    if (loc != kGone && gone_at[c] == t) return;
    if (loc == kGone) gone_at[c] = t;
    state[c] = loc;
    tracker->events_.push_back({t, c, loc});
  };
  std::span<const int64_t> time = s.row_time();
  std::span<const uint32_t> row_stream = s.row_stream();
  std::span<const uint32_t> row_value = s.row_value();
  std::span<const store::StreamRecord> streams = s.streams();
  for (uint64_t r = 0; r < s.row_count(); ++r) {
    const uint32_t sig = streams[row_stream[r]].signal;
    const uint8_t what = role[sig];
    if (what == kNone) continue;
    const uint32_t value = row_value[r];
    const uint32_t who = owner[sig];
    switch (what) {
      case kLocation:
        emit(time[r], who, s.values()[value].text);
        break;
      case kAction:
        if (is_remove[value]) emit(time[r], who, kGone);
        break;
      case kCommand:
        command[who] = s.values()[value].text;
        command_carrier[command[who]] = who;
        break;
      case kCommandAction:
        if (is_remove[value]) {
          auto it = command_carrier.find(who);
          if (it != command_carrier.end() && command[it->second] == who) {
            emit(time[r], it->second, kGone);
          }
        }
        break;
    }
  }

  // Per carrier, in time order: a stable counting sort of the events.
  tracker->begin_.assign(n + 1, 0);
  for (const Event& e : tracker->events_) ++tracker->begin_[e.carrier + 1];
  for (size_t c = 0; c < n; ++c) tracker->begin_[c + 1] += tracker->begin_[c];
  tracker->by_carrier_.resize(tracker->events_.size());
  std::vector<uint32_t> fill(tracker->begin_.begin(), tracker->begin_.end() - 1);
  for (const Event& e : tracker->events_) tracker->by_carrier_[fill[e.carrier]++] = e;
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
