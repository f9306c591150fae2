// Text forms of stored values: the shown text that search matches and CSV
// writes, JSON values and compat Entry objects (written with the primitives of
// base/json_writer.h). Pure functions over a Store; thread-safe. Appending to
// a caller's buffer keeps hot loops allocation-free.
#pragma once

#include <string>
#include <string_view>

#include "base/value_text.h"
#include "store/format.h"
#include "store/store.h"

namespace plcscope::query {

// The value as the API shows it under a resolved signal type, as text:
// "true"/"false", a decimal integer, the shortest float that reads back to
// the same double, or the original text for strings.
void AppendShownText(base::ValueType type, const store::ValueRecord& v, std::string_view text,
                     std::string* out);

// A JSON value: true/false, an integer, a float (null when not finite), or a string.
void AppendShownJson(const store::ShownValue& v, std::string* out);

// A CSV field (RFC 4180: quoted when it holds a comma, quote or line break).
void AppendCsvField(std::string_view s, std::string* out);

}  // namespace plcscope::query
