// Reading HTTP header values and request targets: lower-casing names, the
// media type of a Content-Type, a parameter such as `boundary=` or
// `name="..."`, a byte Range, a cookie, the host and authority of Host and
// Origin, percent-decoding and the query string, and the constant-time
// token comparison. Pure functions over text; thread-safe. Used by the
// transport (server.cc) and the multipart parser.
#pragma once

#include <cstddef>
#include <map>
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

// The value of cookie `name` in a Cookie header; "" when absent.
std::string CookieValue(const std::string& header, std::string_view name);

// Percent-decoding (invalid escapes kept as written); `plus_is_space` for
// query strings.
std::string UrlDecode(std::string_view s, bool plus_is_space);

// "a=1&b=x%20y&c" into `out` (decoded; a key without '=' has value "").
void ParseQuery(std::string_view q, std::multimap<std::string, std::string>* out);

// "host:port" -> "host" (lower case); "[::1]:80" -> "[::1]".
std::string HostName(std::string_view host);

// "Host" or an Origin's authority, lower case, with the scheme's default
// port made explicit ("a" -> "a:80", or "a:443" when `https`).
std::string Authority(std::string_view authority, bool https);

// Equal non-empty tokens, in time independent of where they differ.
bool SameToken(std::string_view a, std::string_view b);

}  // namespace plcscope::http
