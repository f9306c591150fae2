// Reading HTTP header values: lower-casing names, the media type of a
// Content-Type, and a parameter such as `boundary=` or `name="..."`. Pure
// functions over text; thread-safe. Used by the transport (server.cc) and
// the multipart parser.
#pragma once

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

}  // namespace plcscope::http
