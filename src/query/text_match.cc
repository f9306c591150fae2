#include "query/text_match.h"

#include <re2/re2.h>

#include <cstring>

namespace plcscope::query {
namespace {

inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Case-insensitive (ASCII) substring search; `needle` is lower case, non-empty.
bool FoldedContains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  const char first = needle[0];
  const char first_upper = (first >= 'a' && first <= 'z') ? static_cast<char>(first - 32) : first;
  const size_t last = hay.size() - needle.size();
  for (size_t i = 0; i <= last; ++i) {
    const char c = hay[i];
    if (c != first && c != first_upper) continue;
    size_t j = 1;
    while (j < needle.size() && Lower(hay[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

}  // namespace

TextMatcher::TextMatcher(TextMatcher&&) noexcept = default;
TextMatcher& TextMatcher::operator=(TextMatcher&&) noexcept = default;
TextMatcher::~TextMatcher() = default;

base::Result<TextMatcher> TextMatcher::Create(std::string_view pattern, bool regex,
                                              bool case_sensitive) {
  TextMatcher m;
  if (regex) {
    RE2::Options options;
    options.set_case_sensitive(case_sensitive);
    options.set_log_errors(false);
    m.re_ = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
    if (!m.re_->ok()) return base::InvalidArgument("is not a valid regex: " + m.re_->error());
    return m;
  }
  m.fold_ = !case_sensitive;
  m.needle_.assign(pattern);
  if (m.fold_) {
    for (char& c : m.needle_) c = Lower(c);
  }
  return m;
}

bool TextMatcher::Matches(std::string_view text) const {
  if (re_) return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
  if (needle_.empty()) return true;
  if (fold_) return FoldedContains(text, needle_);
  return text.find(needle_) != std::string_view::npos;
}

}  // namespace plcscope::query
