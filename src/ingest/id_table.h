// IdTable: an open-addressing hash table from a caller-computed 64-bit hash
// to a dense 32-bit id; the caller confirms equality of candidates (so keys
// can be tuples of string_views stored elsewhere). No allocation per lookup.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace plcscope::ingest {

class IdTable {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;

  IdTable() { slots_.resize(kInitial); }

  // Returns the id whose hash is `h` and for which eq(id) holds, or kNone.
  template <typename Eq>
  uint32_t Find(uint64_t h, const Eq& eq) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.id == kNone) return kNone;
      if (s.hash == h && eq(s.id)) return s.id;
    }
  }

  // REQUIRES: no equal key present.
  void Insert(uint64_t h, uint32_t id) {
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    Place(h, id);
    ++count_;
  }

  void Clear() {
    slots_.assign(kInitial, Slot{});
    count_ = 0;
  }

 private:
  static constexpr size_t kInitial = 256;
  struct Slot {
    uint64_t hash = 0;
    uint32_t id = kNone;
  };
  void Place(uint64_t h, uint32_t id) {
    const size_t mask = slots_.size() - 1;
    size_t i = h & mask;
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
