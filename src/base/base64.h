// Base64 (RFC 4648) for the JSON upload bodies of the API and the tests that
// build them. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace plcscope::base {

// Decodes standard or URL-safe base64 (padding optional, whitespace skipped).
// False on any other byte, on data after padding and on a lone final sextet.
bool DecodeBase64(std::string_view in, std::string* out);

// Standard alphabet, with padding.
std::string EncodeBase64(std::string_view in);

}  // namespace plcscope::base
