// Reading HTTP header values: lower-casing names, the media type of a
// Content-Type, a parameter such as `boundary=` or `name="..."`, and a byte
// Range. Pure functions over text; thread-safe. Used by the transport
// (server.cc) and the multipart parser.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace plcscope::http {

// ASCII lower case.
std::string Lower(std::string_view s);

// "multipart/form-data" of "Multipart/Form-Data; boundary=x": lower case,
// without parameters and surrounding blanks.
std::string MediaType(const std::string& content_type);

// A parameter of a header value: `boundary=...`, `name="..."` (quotes
// removed); "" when absent. `key` is lower case.
std::string HeaderParam(std::string_view value, std::string_view key);

// One simple byte range of a static file ("bytes=a-b", "a-", "-n"); other
// forms (several ranges, units) are ignored and the whole file is sent.
// Returns false for an unsatisfiable range.
bool ParseRange(const std::string& header, size_t size, bool* use, size_t* first, size_t* last);

}  // namespace plcscope::http
