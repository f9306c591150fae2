// The `plcscope dump` output contract: one JSON object per sample or parse
// error, one per line. Golden tests and other tools rely on it; change it
// only together with tests/golden.
//   {"ts": <ms since epoch, exact, shortest>, "device", "signal",
//    "category"? (omitted when none), "type", "value", "source"? (several files)}
//   {"source"?, "line", "reason", "content"}
// Pure formatting into a caller's buffer; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/store.h"

namespace plcscope::app {

// Appends ns as milliseconds, exactly: "1758546000199" or "1758546000199.5".
void AppendMillis(std::string* out, int64_t ns);
// Values and strings are written by query::AppendShownJson (query/value_format.h)
// and base::AppendJsonString (base/json_writer.h): floats in their shortest
// round-trip form, non-finite floats as null, invalid UTF-8 as U+FFFD.

// Appends the row's line (with '\n'). with_source: the session has several files.
void AppendRowJson(std::string* out, const store::Store& s, uint64_t row, bool with_source);
void AppendErrorJson(std::string* out, const store::ParseErrorRecord& e, bool with_source);

}  // namespace plcscope::app
