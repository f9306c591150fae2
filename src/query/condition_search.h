// Condition search (docs/query.md "Condition search"): where in a session
// does a condition over several signals hold, e.g.
//   CNV-10::RUN = ON && CNV-10::JAM = OFF && (COUNT > 3 || STATE != "IDLE")
// A condition is terms `signal OP value` (OP: = == != > < >= <=) joined by
// && (or AND), || (or OR), ! (or NOT) and parentheses; && binds tighter than
// ||. At every instant each signal has the value of its latest sample at or
// before that instant (it holds its last value until its next sample); a
// term over a signal that has no sample yet is false. The condition is then
// a step function of time that can change only at the involved signals'
// sample times, so the search walks the merged rows of only those signals
// (Store::signal_rows), never the whole row table: the cost grows with the
// samples of the named signals.
//
// Pure functions over an immutable store; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "query/deadline.h"
#include "query/signal_names.h"
#include "store/store.h"

namespace plcscope::query {

// Bounds of a condition's text and of its terms (InvalidArgument past them).
inline constexpr size_t kMaxConditionLength = 4096;
inline constexpr size_t kMaxConditionTerms = 32;
inline constexpr size_t kMaxConditionDepth = 32;  // nested parentheses / NOTs

enum class CompareOp { kEq, kNe, kGt, kLt, kGe, kLe };
const char* CompareOpText(CompareOp op);  // "=", "!=", ">", ...

struct ConditionTerm {
  std::string signal;  // a key "dev::sig" or a bare signal name
  CompareOp op = CompareOp::kEq;
  std::string value;    // the literal as written (quotes removed)
  bool quoted = false;  // the value was a quoted string
};

// The expression tree: a leaf names a term; inner nodes are AND / OR over
// their children, NOT over its one child.
struct ConditionNode {
  enum class Kind { kTerm, kAnd, kOr, kNot };
  Kind kind = Kind::kTerm;
  uint32_t term = 0;
  std::vector<ConditionNode> children;
};

struct ParsedCondition {
  std::vector<ConditionTerm> terms;
  ConditionNode root;
};

// Parses the text; InvalidArgument "condition: at column N: ..." naming what
// was expected, or the bound (length, terms, depth) that was passed.
base::Result<ParsedCondition> ParseConditionText(std::string_view text);

// Evaluates `node` with term i true when bit i of `bits` is set.
bool EvaluateCondition(const ConditionNode& node, uint64_t bits);

struct ConditionInterval {
  int64_t start_ns = 0;  // the instant the condition became true
  int64_t end_ns = 0;    // the instant it became false; the session end when open
  bool open = false;     // still true at the session's last sample
};

struct ConditionSearchQuery {
  std::string condition;
  int64_t at_ns = 0;  // next: first interval starting after it; prev: last before it
  // Optionally, the intervals overlapping [window_start, window_end] (for
  // drawing), at most `window_limit` of them (`window_truncated` past it).
  std::optional<int64_t> window_start_ns, window_end_ns;
  uint32_t window_limit = 1000;
};

struct ConditionSearchResult {
  std::vector<uint32_t> signals;  // the store signals of the terms, in term order
  uint64_t count = 0;             // intervals where the condition holds, whole session
  uint64_t before = 0;            // of them, those starting before at (prev is number `before`)
  uint64_t samples_read = 0;      // rows of the involved signals walked
  std::optional<ConditionInterval> next;     // first interval with start > at
  std::optional<ConditionInterval> prev;     // last interval with start < at
  std::optional<ConditionInterval> current;  // the interval holding at (start <= at < end)
  std::vector<ConditionInterval> window;     // intervals overlapping the window, time order
  bool window_truncated = false;
};

// InvalidArgument for a bad condition: its parse errors, an unknown signal,
// a bare name on several devices (naming two keys to choose from), or a
// value the signal's type cannot compare with (e.g. `BOOL_SIG > abc`).
base::Result<ConditionSearchResult> SearchCondition(const store::Store& store,
                                                    const SignalNames& names,
                                                    const ConditionSearchQuery& q,
                                                    const Deadline& deadline = Deadline());

}  // namespace plcscope::query
