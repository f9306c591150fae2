// The reference plc_debug / plc_tab / csv log (docs/targets.md): each line is
// one sample of a key drawn by type (77 % boolean, 15 % integer, 8 % string)
// and then by the key's activity weight; values evolve per ValueKind. A few
// scripted lines plant the landmarks (GeneratorStats::landmarks).
#include <algorithm>

#include "gen/generators.h"
#include "gen/plant.h"
#include "gen/prng.h"
#include "gen/signal_lines.h"

namespace plcscope::gen {
namespace {

constexpr double kBooleanShare = 0.77;
constexpr double kIntegerShare = 0.15;

// Keys of one type, drawn by activity weight in O(1) with Vose's alias
// method: slot i keeps key i with probability threshold[i] / 2^32, else
// gives alias[i]. One 64-bit draw picks the slot (high half) and the coin
// (low half).
class KeyTable {
 public:
  void Add(uint32_t key, double weight) {
    keys_.push_back(key);
    weights_.push_back(weight);
  }
  bool empty() const { return keys_.empty(); }

  // REQUIRES: !empty(). Call once after the last Add().
  void Build() {
    const size_t n = keys_.size();
    double total = 0;
    for (double w : weights_) total += w;
    std::vector<double> scaled(n);
    std::vector<uint32_t> small, large;
    for (size_t i = 0; i < n; ++i) {
      scaled[i] = weights_[i] * static_cast<double>(n) / total;
      (scaled[i] < 1 ? small : large).push_back(static_cast<uint32_t>(i));
    }
    threshold_.assign(n, UINT32_MAX);
    alias_.resize(n);
    for (size_t i = 0; i < n; ++i) alias_[i] = static_cast<uint32_t>(i);
    while (!small.empty() && !large.empty()) {
      uint32_t s = small.back(), l = large.back();
      small.pop_back();
      threshold_[s] = static_cast<uint32_t>(scaled[s] * 4294967296.0);
      alias_[s] = l;
      scaled[l] -= 1 - scaled[s];
      if (scaled[l] < 1) {
        large.pop_back();
        small.push_back(l);
      }
    }
  }

  uint32_t Draw(Rng& rng) const {
    const uint64_t r = rng.Next();
    const size_t slot = static_cast<size_t>(((r >> 32) * keys_.size()) >> 32);
    const uint32_t coin = static_cast<uint32_t>(r);
    return keys_[coin < threshold_[slot] ? slot : alias_[slot]];
  }

 private:
  std::vector<uint32_t> keys_;
  std::vector<double> weights_;
  std::vector<uint32_t> threshold_;
  std::vector<uint32_t> alias_;
};

struct Scripted {
  uint64_t event;  // 0-based event (sample line) index
  uint32_t key;
  const char* what;
  int64_t value;  // boolean 0/1 or integer
};

// Landmarks at fixed fractions of the file (needs >= 100 events).
std::vector<Scripted> Script(const Plant& plant, uint64_t n) {
  std::vector<Scripted> s;
  if (n < 100) return s;
  uint64_t e0 = n / 1000;
  s.push_back({e0, plant.once_key, "initial", 0});
  s.push_back({e0 + 1, plant.pulse_key, "initial", 0});
  s.push_back({e0 + 2, plant.code_pulse_key, "initial", 0});
  s.push_back({n * 618 / 1000, plant.once_key, "once", 1});
  for (uint64_t f : {15, 35, 55, 75, 95}) {
    s.push_back({n * f / 100, plant.pulse_key, "pulse", 1});
    s.push_back({n * f / 100 + 3, plant.pulse_key, "pulse_end", 0});
  }
  s.push_back({n * 42 / 100, plant.code_pulse_key, "pulse", 9001});
  s.push_back({n * 42 / 100 + 5, plant.code_pulse_key, "pulse_end", 0});
  std::sort(s.begin(), s.end(),
            [](const Scripted& a, const Scripted& b) { return a.event < b.event; });
  return s;
}

}  // namespace

double MeanLineGapMicros(const GeneratorOptions& options) {
  if (options.duration_s > 0 && options.lines > 0) {
    return options.duration_s * 1e6 / static_cast<double>(options.lines);
  }
  return 1800.0;
}

base::Status WriteReferenceSignals(const GeneratorOptions& options, OutputWriter& out,
                                   GeneratorStats* stats) {
  const Plant plant = BuildReferencePlant(options.seed, options.devices);
  SignalLineWriter writer(plant, options.format);
  Rng rng(options.seed, /*stream=*/2);

  KeyTable tables[3];
  std::vector<ValueState> states(plant.keys.size());
  for (uint32_t k = 0; k < plant.keys.size(); ++k) {
    const SignalKey& key = plant.keys[k];
    states[k].Init(plant.names[key.name], rng);
    if (key.weight <= 0) continue;
    tables[static_cast<int>(plant.names[key.name].type)].Add(k, key.weight);
  }
  for (KeyTable& t : tables) {
    if (t.empty()) return base::Internal("reference plant has a type without keys");
    t.Build();
  }

  uint64_t line = 0;
  std::string_view header = writer.Header();
  if (!header.empty() && options.lines > 0) {
    out.Append(header);
    ++line;
  }
  const uint64_t events = options.lines - line;
  const std::vector<Scripted> script = Script(plant, events);
  size_t next_script = 0;

  const double gap = MeanLineGapMicros(options);
  // 30 % of lines share the previous line's instant (bursts of changes);
  // the rest are spread so that the mean gap stays `gap`.
  const uint64_t spread = static_cast<uint64_t>(2 * gap / 0.7) + 1;
  int64_t ts = options.start_us;
  uint64_t counts[3] = {0, 0, 0};
  char value[128];
  stats->first_us = ts;
  for (uint64_t e = 0; e < events; ++e, ++line) {
    if (!rng.Chance(0.3)) ts += static_cast<int64_t>(rng.Below(spread));
    uint32_t key;
    size_t len;
    int64_t printed = ts;
    if (next_script < script.size() && script[next_script].event == e) {
      const Scripted& s = script[next_script++];
      key = s.key;
      const SignalKey& k = plant.keys[key];
      const SignalName& name = plant.names[k.name];
      std::string text = name.type == ValueType::kBoolean
                             ? std::string(writer.BoolText(s.value != 0))
                             : std::to_string(s.value);
      len = text.copy(value, sizeof(value));
      stats->landmarks.push_back({s.what, line + 1, ts / 1000 * 1000, plant.devices[k.device].id,
                                  name.name, std::move(text)});
    } else {
      double r = rng.Unit();
      int type = r < kBooleanShare ? 0 : (r < kBooleanShare + kIntegerShare ? 1 : 2);
      key = tables[type].Draw(rng);
      len = states[key].Next(plant.names[plant.keys[key].name], writer, rng, value);
      if (options.unsorted_fraction > 0 && rng.Chance(options.unsorted_fraction)) {
        printed = std::max(options.start_us, ts - rng.Range(1000, 3'000'000));
      }
    }
    ++counts[static_cast<int>(plant.names[plant.keys[key].name].type)];
    writer.Write(out, printed, key, std::string_view(value, len));
  }
  stats->last_us = ts;
  stats->lines = line;
  stats->samples = events;
  stats->boolean_samples = counts[0];
  stats->integer_samples = counts[1];
  stats->string_samples = counts[2];
  stats->devices = plant.devices.size();
  stats->signal_keys = plant.keys.size();
  stats->signal_names = plant.names.size();
  return base::Status::Ok();
}

}  // namespace plcscope::gen
