// CarrierTracker: where every carrier of an MCS session is at any instant.
// A carrier is a device with a `CurrentLocation` signal (docs/formats.md §4). Its
// timeline is built once in one pass over the store's rows: each location
// change, and "gone" when it is REMOVEd — either by a REMOVE line naming the
// carrier (`[REMOVE=CMD, CAR]`) or by a one-id REMOVE of the command the
// carrier was on (`[REMOVE=CMD001]`). Immutable after Build(); every method
// is const and safe from many threads. Holds a shared_ptr to its store.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace plcscope::map {

class CarrierTracker {
 public:
  static constexpr uint32_t kGone = UINT32_MAX;

  struct Event {
    int64_t t_ns;
    uint32_t carrier;   // index into carriers()
    uint32_t location;  // store string id of the location, or kGone
  };
  struct Position {
    uint32_t carrier;
    uint32_t location;  // store string id; never kGone here
    int64_t since_ns;   // when the carrier arrived there
  };

  static std::shared_ptr<const CarrierTracker> Build(std::shared_ptr<const store::Store> store);

  const store::Store& store() const { return *store_; }
  // Carrier device ids, sorted.
  const std::vector<std::string_view>& carriers() const { return carriers_; }
  std::string_view location_text(uint32_t location) const { return store_->str(location); }

  // Carriers present at t (latest location at or before t, not removed since),
  // in carriers() order. Cost: one binary search per carrier.
  std::vector<Position> At(int64_t t_ns) const;
  // Every location change and removal with start < t <= end, in time order
  // (ties in log order); at most `limit`, `*truncated` set when more.
  std::vector<Event> Changes(int64_t start_ns, int64_t end_ns, size_t limit, bool* truncated) const;
  // Every event of the whole session, in time order.
  const std::vector<Event>& events() const { return events_; }

 private:
  CarrierTracker() = default;
  std::shared_ptr<const store::Store> store_;
  std::vector<std::string_view> carriers_;
  // Per carrier, its events in time order: events_[begin_[c] .. begin_[c + 1]).
  std::vector<Event> by_carrier_;
  std::vector<uint32_t> begin_;
  std::vector<Event> events_;  // all events in time order (ties: log order)
};

}  // namespace plcscope::map
