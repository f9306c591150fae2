// Format detection by content (docs/formats.md §1): look at the first 10
// non-empty lines and accept the first format, in the order plc_debug,
// plc_tab, mcs, csv, whose full-line pattern matches at least 60 % of them.
// Pure function, thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "base/status.h"
#include "ingest/formats/line_parser.h"

namespace plcscope::ingest {

inline constexpr int kDetectLines = 10;

// `lines`: the first (up to 10) non-blank lines, without terminators or BOM.
// Fails with a message naming the formats tried when none matches.
base::Result<Format> DetectFormat(std::span<const std::string_view> lines);

// True when `line` is the header line a format allows as its first non-blank
// line. Only csv has one: "timestamp,device,signal,value" in any case and
// spacing; or a line whose first field does not start like a date
// (DDDD-DD-DD) when `next`, the next non-blank line, is csv data: a line of
// csv shape whose first field starts like a date (IsCsvDataLine). A first
// field that starts like a date is never a header, even when it is not a
// valid timestamp (it is a "bad timestamp" line). `next` is nullopt when
// there is no next line. The driver asks this of the first line only, and
// skips the line silently when true.
bool IsHeaderLine(Format format, std::string_view line, std::optional<std::string_view> next);

// True when `line` has the csv shape and a first field that starts like a
// date: it parses, or fails only for its timestamp, device or signal.
bool IsCsvDataLine(std::string_view line);

}  // namespace plcscope::ingest
