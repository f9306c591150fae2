#include "gen/log_generator.h"

#include "gen/generators.h"
#include "gen/output_writer.h"

namespace plcscope::gen {
namespace {

base::Status Generate(const GeneratorOptions& options, OutputWriter& out, GeneratorStats* stats) {
  if (options.unsorted_fraction < 0 || options.unsorted_fraction > 1) {
    return base::InvalidArgument("--unsorted-fraction must be within 0..1");
  }
  if (options.duration_s < 0) return base::InvalidArgument("--duration must not be negative");
  if (options.profile == Profile::kDemo) return WriteDemo(options, out, stats);
  if (options.devices < 3 || options.devices > 1'000'000) {
    return base::InvalidArgument("--devices must be within 3..1000000");
  }
  if (options.format == OutputFormat::kMcs) return WriteReferenceCarriers(options, out, stats);
  return WriteReferenceSignals(options, out, stats);
}

}  // namespace

const char* OutputFormatName(OutputFormat f) {
  switch (f) {
    case OutputFormat::kPlcDebug:
      return "plc_debug";
    case OutputFormat::kPlcTab:
      return "plc_tab";
    case OutputFormat::kMcs:
      return "mcs";
    case OutputFormat::kCsv:
      return "csv";
  }
  return "plc_debug";
}

bool ParseOutputFormat(std::string_view name, OutputFormat* out) {
  for (OutputFormat f :
       {OutputFormat::kPlcDebug, OutputFormat::kPlcTab, OutputFormat::kMcs, OutputFormat::kCsv}) {
    if (name == OutputFormatName(f)) {
      *out = f;
      return true;
    }
  }
  return false;
}

bool ParseProfile(std::string_view name, Profile* out) {
  if (name == "reference") {
    *out = Profile::kReference;
  } else if (name == "demo") {
    *out = Profile::kDemo;
  } else {
    return false;
  }
  return true;
}

base::Result<GeneratorStats> GenerateToFile(const GeneratorOptions& options,
                                            const std::string& path) {
  auto out = OutputWriter::OpenFile(path, options.gzip);
  if (!out.ok()) return out.status();
  GeneratorStats stats;
  PLCSCOPE_RETURN_IF_ERROR(Generate(options, **out, &stats));
  stats.bytes = (*out)->bytes();
  PLCSCOPE_RETURN_IF_ERROR((*out)->Close());
  return stats;
}

base::Result<GeneratorStats> GenerateToString(const GeneratorOptions& options, std::string* out) {
  auto writer = OutputWriter::ToString(out);
  GeneratorStats stats;
  PLCSCOPE_RETURN_IF_ERROR(Generate(options, *writer, &stats));
  stats.bytes = writer->bytes();
  PLCSCOPE_RETURN_IF_ERROR(writer->Close());
  return stats;
}

}  // namespace plcscope::gen
