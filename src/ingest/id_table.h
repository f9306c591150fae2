// KeyTable: an open-addressing hash table from a 128-bit key hash (XXH3-128)
// to a dense 32-bit id. Keys are identified by their 128-bit hash alone:
// for the at most millions of distinct keys of a session the chance of a
// collision is below 1e-25, and it saves keeping and comparing key bytes on
// the per-line path. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace plcscope::ingest {

struct Hash128 {
  uint64_t lo = 0, hi = 0;
  bool operator==(const Hash128&) const = default;
};

class KeyTable {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;

  KeyTable() { slots_.resize(kInitial); }

  uint32_t Find(const Hash128& h) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = h.lo & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.id == kNone) return kNone;
      if (s.hash == h) return s.id;
    }
  }

  // REQUIRES: h not present.
  void Insert(const Hash128& h, uint32_t id) {
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    Place(h, id);
    ++count_;
  }

  size_t size() const { return count_; }

 private:
  static constexpr size_t kInitial = 1024;
  struct Slot {
    Hash128 hash;
    uint32_t id = kNone;
  };
  void Place(const Hash128& h, uint32_t id) {
    const size_t mask = slots_.size() - 1;
    size_t i = h.lo & mask;
    while (slots_[i].id != kNone) i = (i + 1) & mask;
    slots_[i] = {h, id};
  }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.resize(old.size() * 2);
    for (const Slot& s : old) {
      if (s.id != kNone) Place(s.hash, s.id);
    }
  }

  std::vector<Slot> slots_;
  size_t count_ = 0;
};

}  // namespace plcscope::ingest
