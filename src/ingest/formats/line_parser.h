// The contract between a format's line parser and the ingest driver.
//
// A LineParser turns one input line (no line terminator, no BOM, not blank)
// into zero or more samples, or one error. Parsers are pure functions over
// the line: no allocation per sample, string_views point into the line (or
// into static storage, or, for csv fields with doubled quotes, into the
// parser's per-thread scratch) and are valid only during the call.
// Thread-safe. The grammar of each format and the decisions where
// docs/formats.md is silent: src/ingest/formats/README.md.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/value_text.h"

namespace plcscope::ingest {

enum class Format : uint8_t { kPlcDebug = 0, kPlcTab = 1, kMcs = 2, kCsv = 3 };
inline constexpr int kFormatCount = 4;

// "plc_debug", "plc_tab", "mcs", "csv".
const char* FormatName(Format f);
bool ParseFormatName(std::string_view name, Format* out);

struct Sample {
  int64_t ts_ns = 0;
  std::string_view device;  // "DEV-123" (docs/formats.md §1 "Device from a path")
  std::string_view path;    // the full path the device came from
  std::string_view signal;
  std::string_view category;  // empty when none
  std::string_view value;     // trimmed text
  base::DeclaredType declared = base::DeclaredType::kInfer;
};

// The reasons a parser gives to SampleSink::OnError. Short, stable, static
// storage; the driver counts errors by these exact strings.
//   "line does not match <format> format": the line's shape is not the
//       format's (no brackets where they belong, too few fields, unknown mcs
//       action, unterminated quote ...).
//   "bad timestamp": the line starts like a date (`DDDD-DD-DD`) but is not a
//       valid timestamp (month 13, second 61, 10 fraction digits ...).
//   "device ID not found in path": docs/formats.md §1 "Device from a path" found
//       no device (empty, or a character outside A-Z a-z 0-9 _ -).
//   "missing signal name": the signal field is empty after trimming.
namespace reason {
inline constexpr std::string_view kNoMatchPlcDebug = "line does not match plc_debug format";
inline constexpr std::string_view kNoMatchPlcTab = "line does not match plc_tab format";
inline constexpr std::string_view kNoMatchMcs = "line does not match mcs format";
inline constexpr std::string_view kNoMatchCsv = "line does not match csv format";
inline constexpr std::string_view kBadTimestamp = "bad timestamp";
inline constexpr std::string_view kNoDevice = "device ID not found in path";
inline constexpr std::string_view kNoSignal = "missing signal name";
}  // namespace reason

// Receives what a parser finds in one line.
class SampleSink {
 public:
  virtual ~SampleSink() = default;
  virtual void OnSample(const Sample& s) = 0;
  // The line is bad; `reason` is a short stable sentence such as
  // "bad timestamp" or "device ID not found in path" (static storage).
  virtual void OnError(std::string_view reason) = 0;
};

// Parses one line of the given format. A trailing '\r' is ignored. Reports
// either samples (zero or more) or exactly one error, never both.
void ParseLine(Format format, std::string_view line, SampleSink& sink);

// The per-format parsers ParseLine dispatches to (same contract).
void ParsePlcDebugLine(std::string_view line, SampleSink& sink);
void ParsePlcTabLine(std::string_view line, SampleSink& sink);
void ParseMcsLine(std::string_view line, SampleSink& sink);
void ParseCsvLine(std::string_view line, SampleSink& sink);

}  // namespace plcscope::ingest
