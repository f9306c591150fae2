// UTF-8 checks and repair for untrusted text (file names, values, paths,
// request bodies). Pure functions; thread-safe. Invalid bytes become U+FFFD,
// one replacement per byte that does not start a valid sequence, as the
// WHATWG decoder and the JSON writers of the query layer do.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace plcscope::base {

// Length of the valid UTF-8 sequence starting at s[i] (1..4), or 0 when the
// bytes there are not one (overlong, surrogate, beyond U+10FFFF, truncated).
// REQUIRES: i < s.size().
size_t Utf8SequenceLength(std::string_view s, size_t i);

bool IsValidUtf8(std::string_view s);

// `s` with every invalid byte replaced by U+FFFD ("\xEF\xBF\xBD").
std::string RepairUtf8(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` bytes that does not cut a
// UTF-8 sequence in half (invalid bytes count as one character each).
std::string_view Utf8Prefix(std::string_view s, size_t max_bytes);

}  // namespace plcscope::base
