// TextMatcher: one compiled /entries `search` or `exclude` pattern — a
// substring (ASCII case folding unless case-sensitive) or an unanchored RE2
// regex. Immutable after Create(); Matches() is const and thread-safe.
// Patterns are matched once per distinct dictionary string, never per row.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace re2 {
class RE2;
}

namespace plcscope::query {

class TextMatcher {
 public:
  // InvalidArgument "is not a valid regex: <RE2's message>" (the caller
  // prefixes the parameter name) for a bad regex.
  static base::Result<TextMatcher> Create(std::string_view pattern, bool regex,
                                          bool case_sensitive);
  TextMatcher(TextMatcher&&) noexcept;
  TextMatcher& operator=(TextMatcher&&) noexcept;
  ~TextMatcher();

  bool Matches(std::string_view text) const;

 private:
  TextMatcher() = default;
  std::string needle_;  // lower-cased when folding
  bool fold_ = false;
  std::unique_ptr<re2::RE2> re_;
};

}  // namespace plcscope::query
