// Small deterministic pseudo-random generators for the log generator.
//
// The generator must give the same bytes for the same seed on every machine
// and library version, so it never uses std:: distributions (their output is
// implementation-defined). SplitMix64 seeds Xoshiro256**; all derived draws
// (bounded integers, probabilities) are computed here by hand.
// Value types; not thread-safe (one per thread).
#pragma once

#include <cstdint>

namespace plcscope::gen {

// SplitMix64 (Steele, Lea, Flood 2014): a good 64-bit mixer, used for seeding
// and for hashing (seed, stream) pairs into independent sub-seeds.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

// Xoshiro256** (Blackman, Vigna 2018).
class Rng {
 public:
  // `stream` separates independent sequences drawn from one user seed.
  explicit Rng(uint64_t seed, uint64_t stream = 0) {
    SplitMix64 sm(seed ^ (stream * 0xD1B54A32D192ED03ULL));
    for (uint64_t& s : s_) s = sm.Next();
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n) (Lemire's multiply-shift; the tiny bias is irrelevant here
  // and, unlike rejection, it consumes exactly one draw).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi] (inclusive).
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform double in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // True with probability p.
  bool Chance(double p) { return Unit() < p; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace plcscope::gen
