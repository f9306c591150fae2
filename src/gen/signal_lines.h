// SignalLineWriter: renders one sample (timestamp, key, value text) as a line
// of plc_debug, plc_tab or csv for a given Plant. All per-key text (path,
// category, signal, declared type, padding) is precomputed once, so a line is
// a timestamp, two memcpy's and the value.
//
// Owns its precomputed text; reads the Plant only in the constructor.
// Not thread-safe (caches the current second).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gen/log_generator.h"
#include "gen/output_writer.h"
#include "gen/plant.h"
#include "gen/prng.h"
#include "gen/text_format.h"

namespace plcscope::gen {

class SignalLineWriter {
 public:
  // REQUIRES: format is not kMcs.
  SignalLineWriter(const Plant& plant, OutputFormat format);

  // The header line for csv ("timestamp,device,signal,value"); empty otherwise.
  std::string_view Header() const;

  // How a boolean is spelled in this format: ON/OFF, True/False, TRUE/FALSE.
  std::string_view BoolText(bool v) const { return v ? true_text_ : false_text_; }

  // REQUIRES: value has no '\n' (plc_tab: no '\t'), value.size() <= 512.
  void Write(OutputWriter& out, int64_t ts_us, uint32_t key, std::string_view value) {
    const Span& pre = prefix_[key];
    char* p = out.Reserve(pre.size + suffix_[key].size + 2 * value.size() + 64);
    char* start = p;
    p = ts_.Write(p, ts_us);
    p = WriteText(p, std::string_view(arena_.data() + pre.offset, pre.size));
    if (format_ == OutputFormat::kCsv && NeedsQuotes(value)) {
      p = WriteQuoted(p, value);
    } else {
      p = WriteText(p, value);
    }
    const Span& suf = suffix_[key];
    p = WriteText(p, std::string_view(arena_.data() + suf.offset, suf.size));
    if (format_ == OutputFormat::kPlcTab) p = ts_.Write(p, ts_us);
    *p++ = '\n';
    out.Commit(static_cast<size_t>(p - start));
  }

 private:
  struct Span {
    uint32_t offset = 0;
    uint32_t size = 0;
  };
  Span Add(std::string_view text);
  static bool NeedsQuotes(std::string_view v);
  static char* WriteQuoted(char* p, std::string_view v);

  OutputFormat format_;
  std::string arena_;
  std::vector<Span> prefix_;
  std::vector<Span> suffix_;
  std::string_view true_text_;
  std::string_view false_text_;
  TimestampWriter ts_;
};

// Evolves one signal's value from sample to sample (plant.h ValueKind).
// A value type; one per key.
struct ValueState {
  int64_t v = 0;
  void Init(const SignalName& name, Rng& rng);
  // Advances and writes the new value's text into buf (>= 64 bytes); returns
  // its length.
  size_t Next(const SignalName& name, const SignalLineWriter& writer, Rng& rng, char* buf);
};

}  // namespace plcscope::gen
