// The profile × format generators behind log_generator.h. Each writes the
// whole log into `out` and fills *stats (except bytes). Internal to
// plcscope_gen; thread-safe (no shared state).
#pragma once

#include "base/status.h"
#include "gen/log_generator.h"
#include "gen/output_writer.h"

namespace plcscope::gen {

// kReference profile as plc_debug, plc_tab or csv (reference_signals.cc).
base::Status WriteReferenceSignals(const GeneratorOptions& options, OutputWriter& out,
                                   GeneratorStats* stats);
// kReference profile as mcs: carriers moving along the plant's lines
// (reference_carriers.cc).
base::Status WriteReferenceCarriers(const GeneratorOptions& options, OutputWriter& out,
                                    GeneratorStats* stats);
// kDemo profile, any format (demo_profile.cc).
base::Status WriteDemo(const GeneratorOptions& options, OutputWriter& out, GeneratorStats* stats);

// Mean microseconds between lines for `options` (duration_s or 1.8 ms a line).
double MeanLineGapMicros(const GeneratorOptions& options);

}  // namespace plcscope::gen
