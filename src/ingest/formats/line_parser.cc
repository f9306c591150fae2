#include "ingest/formats/line_parser.h"

namespace plcscope::ingest {

const char* FormatName(Format f) {
  switch (f) {
    case Format::kPlcDebug:
      return "plc_debug";
    case Format::kPlcTab:
      return "plc_tab";
    case Format::kMcs:
      return "mcs";
    case Format::kCsv:
      return "csv";
  }
  return "unknown";
}

bool ParseFormatName(std::string_view name, Format* out) {
  for (int i = 0; i < kFormatCount; ++i) {
    const Format f = static_cast<Format>(i);
    if (name == FormatName(f)) {
      *out = f;
      return true;
    }
  }
  return false;
}

void ParseLine(Format format, std::string_view line, SampleSink& sink) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  switch (format) {
    case Format::kPlcDebug:
      return ParsePlcDebugLine(line, sink);
    case Format::kPlcTab:
      return ParsePlcTabLine(line, sink);
    case Format::kMcs:
      return ParseMcsLine(line, sink);
    case Format::kCsv:
      return ParseCsvLine(line, sink);
  }
}

}  // namespace plcscope::ingest
