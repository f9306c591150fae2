#include "query/condition_search.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "base/value_text.h"

namespace plcscope::query {

const char* CompareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kGe:
      return ">=";
    case CompareOp::kLe:
      return "<=";
  }
  return "?";
}

namespace {

using base::ValueType;

// ------------------------------------------------------------------ parser

// Characters that end a bare word (a signal name or an unquoted value).
bool IsWordChar(char c) {
  if (static_cast<unsigned char>(c) <= ' ') return false;
  switch (c) {
    case '=':
    case '!':
    case '<':
    case '>':
    case '(':
    case ')':
    case '&':
    case '|':
    case '"':
    case '\'':
      return false;
    default:
      return true;
  }
}

bool EqualsWord(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  base::Result<ParsedCondition> Parse() {
    ParsedCondition out;
    SkipSpace();
    if (pos_ == s_.size()) return base::InvalidArgument("condition: is empty");
    auto root = Or(&out, 0);
    if (!root.ok()) return root.status();
    SkipSpace();
    if (pos_ != s_.size()) {
      return Error(std::string("expected && or || (or the end) but found '") +
                   std::string(Excerpt()) + "'");
    }
    out.root = std::move(*root);
    return out;
  }

 private:
  base::Status Error(const std::string& what) const {
    return base::InvalidArgument("condition: at column " + std::to_string(pos_ + 1) + ": " + what);
  }
  std::string_view Excerpt() const {
    return s_.substr(pos_, std::min<size_t>(12, s_.size() - pos_));
  }
  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Eat(std::string_view tok) {
    if (s_.substr(pos_, tok.size()) == tok) {
      pos_ += tok.size();
      return true;
    }
    return false;
  }
  // A keyword (AND, OR, NOT) as a whole word, any case.
  bool EatKeyword(std::string_view kw) {
    size_t e = pos_;
    while (e < s_.size() && IsWordChar(s_[e])) ++e;
    if (EqualsWord(s_.substr(pos_, e - pos_), kw)) {
      pos_ = e;
      return true;
    }
    return false;
  }

  base::Result<ConditionNode> Or(ParsedCondition* out, size_t depth) {
    auto first = And(out, depth);
    if (!first.ok()) return first;
    ConditionNode node;
    node.kind = ConditionNode::Kind::kOr;
    node.children.push_back(std::move(*first));
    for (;;) {
      SkipSpace();
      if (!(Eat("||") || (!Eat("|") ? EatKeyword("or") : true))) break;
      auto next = And(out, depth);
      if (!next.ok()) return next;
      node.children.push_back(std::move(*next));
    }
    if (node.children.size() == 1) return std::move(node.children[0]);
    return node;
  }

  base::Result<ConditionNode> And(ParsedCondition* out, size_t depth) {
    auto first = Unary(out, depth);
    if (!first.ok()) return first;
    ConditionNode node;
    node.kind = ConditionNode::Kind::kAnd;
    node.children.push_back(std::move(*first));
    for (;;) {
      SkipSpace();
      if (!(Eat("&&") || (!Eat("&") ? EatKeyword("and") : true))) break;
      auto next = Unary(out, depth);
      if (!next.ok()) return next;
      node.children.push_back(std::move(*next));
    }
    if (node.children.size() == 1) return std::move(node.children[0]);
    return node;
  }

  base::Result<ConditionNode> Unary(ParsedCondition* out, size_t depth) {
    if (depth >= kMaxConditionDepth) {
      return Error("nested deeper than " + std::to_string(kMaxConditionDepth) + " levels");
    }
    SkipSpace();
    if (pos_ == s_.size()) return Error("expected a term 'signal OP value' but the text ended");
    if ((s_[pos_] == '!' && s_.substr(pos_, 2) != "!=") || EatKeywordAhead("not")) {
      if (s_[pos_] == '!') ++pos_;
      auto inner = Unary(out, depth + 1);
      if (!inner.ok()) return inner;
      ConditionNode node;
      node.kind = ConditionNode::Kind::kNot;
      node.children.push_back(std::move(*inner));
      return node;
    }
    if (Eat("(")) {
      auto inner = Or(out, depth + 1);
      if (!inner.ok()) return inner;
      SkipSpace();
      if (!Eat(")")) {
        if (pos_ == s_.size()) return Error("expected ')' but the text ended");
        return Error("expected ')' but found '" + std::string(Excerpt()) + "'");
      }
      return inner;
    }
    return Term(out);
  }

  // "not" followed by a space or '(' (so a signal named NOTE is a signal).
  bool EatKeywordAhead(std::string_view kw) {
    const size_t save = pos_;
    if (EatKeyword(kw)) {
      if (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '(' || s_[pos_] == '\t')) {
        // "NOT = 1" is a term over a signal named NOT.
        size_t p = pos_;
        while (p < s_.size() && (s_[p] == ' ' || s_[p] == '\t')) ++p;
        if (p < s_.size() && (s_[p] == '=' || s_[p] == '<' || s_[p] == '>' ||
                              (s_[p] == '!' && s_.substr(p, 2) == "!="))) {
          pos_ = save;
          return false;
        }
        return true;
      }
      pos_ = save;
    }
    return false;
  }

  // A bare word or a quoted string ("..." or '...', backslash escapes).
  base::Status Word(const char* what, std::string* text, bool* quoted) {
    SkipSpace();
    *quoted = false;
    if (pos_ == s_.size()) return Error(std::string("expected ") + what + " but the text ended");
    const char q = s_[pos_];
    if (q == '"' || q == '\'') {
      const size_t open = pos_;
      ++pos_;
      text->clear();
      while (pos_ < s_.size() && s_[pos_] != q) {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
        text->push_back(s_[pos_++]);
      }
      if (pos_ == s_.size()) {
        pos_ = open;
        return Error(std::string("a quoted text has no closing ") + q);
      }
      ++pos_;
      *quoted = true;
      return base::Status::Ok();
    }
    const size_t b = pos_;
    while (pos_ < s_.size() && IsWordChar(s_[pos_])) ++pos_;
    if (pos_ == b) {
      return Error(std::string("expected ") + what + " but found '" + std::string(Excerpt()) + "'");
    }
    *text = std::string(s_.substr(b, pos_ - b));
    return base::Status::Ok();
  }

  base::Result<ConditionNode> Term(ParsedCondition* out) {
    ConditionTerm t;
    bool quoted = false;
    PLCSCOPE_RETURN_IF_ERROR(Word("a signal name", &t.signal, &quoted));
    if (t.signal.empty()) return Error("the signal name is empty");
    SkipSpace();
    if (Eat("==") || Eat("=")) {
      t.op = CompareOp::kEq;
    } else if (Eat("!=") || Eat("<>")) {
      t.op = CompareOp::kNe;
    } else if (Eat(">=")) {
      t.op = CompareOp::kGe;
    } else if (Eat("<=")) {
      t.op = CompareOp::kLe;
    } else if (Eat(">")) {
      t.op = CompareOp::kGt;
    } else if (Eat("<")) {
      t.op = CompareOp::kLt;
    } else if (pos_ == s_.size()) {
      return Error("expected an operator (= != > < >= <=) after '" + t.signal +
                   "' but the text ended");
    } else {
      return Error("expected an operator (= != > < >= <=) after '" + t.signal + "' but found '" +
                   std::string(Excerpt()) + "'");
    }
    PLCSCOPE_RETURN_IF_ERROR(Word("a value", &t.value, &t.quoted));
    if (out->terms.size() >= kMaxConditionTerms) {
      return Error("more than " + std::to_string(kMaxConditionTerms) + " terms");
    }
    ConditionNode leaf;
    leaf.kind = ConditionNode::Kind::kTerm;
    leaf.term = static_cast<uint32_t>(out->terms.size());
    out->terms.push_back(std::move(t));
    return leaf;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// ------------------------------------------------------------------ terms

// One term bound to its store signal: a predicate over value ids.
class BoundTerm {
 public:
  static base::Result<BoundTerm> Bind(const store::Store& store, const SignalNames& names,
                                      const ConditionTerm& t) {
    std::vector<uint32_t> sigs;
    names.Resolve(t.signal, &sigs);
    const std::string term =
        "condition: in '" + t.signal + " " + CompareOpText(t.op) + " " + t.value + "': ";
    if (sigs.empty()) return base::InvalidArgument(term + "unknown signal '" + t.signal + "'");
    if (sigs.size() > 1) {
      return base::InvalidArgument(term + "'" + t.signal + "' is a signal on " +
                                   std::to_string(sigs.size()) +
                                   " devices; name one as device::signal, e.g. '" +
                                   std::string(store.str(store.signals()[sigs[0]].key)) + "' or '" +
                                   std::string(store.str(store.signals()[sigs[1]].key)) + "'");
    }
    BoundTerm b(store, t, sigs[0]);
    b.type_ = store.signal_type(b.signal_);
    const std::string_view v = t.quoted ? std::string_view(t.value) : base::Trim(t.value);
    b.text_ = std::string(v);
    int64_t i;
    double d;
    if (base::ParseInteger(v, &i)) {
      b.number_ok_ = true;
      b.number_ = static_cast<double>(i);
    } else if (base::ParseFloat(v, &d)) {
      b.number_ok_ = true;
      b.number_ = d;
    }
    b.numeric_literal_ = b.number_ok_;
    bool flag;
    if (base::ParseBooleanWord(v, &flag)) {
      b.number_ok_ = true;
      b.number_ = flag ? 1 : 0;
      b.bool_ok_ = true;
    } else if (b.number_ok_ && (b.number_ == 0 || b.number_ == 1)) {
      b.bool_ok_ = true;
    }
    const std::string type_name = base::ValueTypeName(b.type_);
    switch (b.type_) {
      case ValueType::kBoolean:
        if (!b.bool_ok_) {
          return base::InvalidArgument(term + "'" + t.signal +
                                       "' is a boolean signal; compare it with ON/OFF, "
                                       "true/false or 1/0, not '" +
                                       t.value + "'");
        }
        break;
      case ValueType::kInteger:
      case ValueType::kFloat:
        if (!b.number_ok_) {
          return base::InvalidArgument(term + "'" + t.signal + "' is " +
                                       (b.type_ == ValueType::kInteger ? "an integer" : "a float") +
                                       " signal; '" + t.value + "' is not a number");
        }
        break;
      case ValueType::kString:
        break;
    }
    return b;
  }

  uint32_t signal() const { return signal_; }

  // A 4-entry memo by value id (a boolean alternates between two ids).
  bool Holds(uint32_t value_id) {
    const size_t slot = value_id & 3;
    if (memo_value_[slot] != value_id) {
      memo_value_[slot] = value_id;
      memo_[slot] = Compute(value_id);
    }
    return memo_[slot];
  }

 private:
  BoundTerm(const store::Store& store, const ConditionTerm& t, uint32_t signal)
      : store_(&store), op_(t.op), signal_(signal) {}

  bool Compute(uint32_t value_id) const {
    const store::ShownValue v = store_->Shown(signal_, value_id);
    double x = 0;
    switch (type_) {
      case ValueType::kBoolean:
        x = v.b ? 1 : 0;
        break;
      case ValueType::kInteger:
        x = static_cast<double>(v.i);
        break;
      case ValueType::kFloat:
        x = v.d;
        break;
      case ValueType::kString: {
        if (op_ == CompareOp::kEq) return v.s == text_;
        if (op_ == CompareOp::kNe) return v.s != text_;
        if (numeric_literal_) {
          // Ordering against a number: a numeric text compares by value,
          // any other text does not match.
          int64_t i;
          if (base::ParseInteger(v.s, &i)) {
            x = static_cast<double>(i);
          } else if (!base::ParseFloat(v.s, &x)) {
            return false;
          }
          break;
        }
        const int c = v.s.compare(text_);
        return Order(c);
      }
    }
    if (std::isnan(x)) return op_ == CompareOp::kNe;
    return Order(x < number_ ? -1 : (x > number_ ? 1 : 0));
  }
  bool Order(int c) const {
    switch (op_) {
      case CompareOp::kEq:
        return c == 0;
      case CompareOp::kNe:
        return c != 0;
      case CompareOp::kGt:
        return c > 0;
      case CompareOp::kLt:
        return c < 0;
      case CompareOp::kGe:
        return c >= 0;
      case CompareOp::kLe:
        return c <= 0;
    }
    return false;
  }

  const store::Store* store_;
  CompareOp op_;
  uint32_t signal_;
  ValueType type_ = ValueType::kString;
  std::string text_;
  bool number_ok_ = false, bool_ok_ = false, numeric_literal_ = false;
  double number_ = 0;
  std::array<uint32_t, 4> memo_value_{UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX};
  std::array<bool, 4> memo_{};
};

// A compiled expression: postfix code over the term bits (fast to evaluate
// at every change point).
struct Program {
  enum Op : uint8_t { kPush, kAnd, kOr, kNot };
  struct Step {
    Op op;
    uint32_t arg;  // term index (kPush) or operand count (kAnd/kOr)
  };
  std::vector<Step> steps;

  void Compile(const ConditionNode& n) {
    switch (n.kind) {
      case ConditionNode::Kind::kTerm:
        steps.push_back({kPush, n.term});
        return;
      case ConditionNode::Kind::kNot:
        Compile(n.children[0]);
        steps.push_back({kNot, 1});
        return;
      case ConditionNode::Kind::kAnd:
      case ConditionNode::Kind::kOr:
        for (const auto& c : n.children) Compile(c);
        steps.push_back({n.kind == ConditionNode::Kind::kAnd ? kAnd : kOr,
                         static_cast<uint32_t>(n.children.size())});
        return;
    }
  }
  bool Run(uint64_t bits) const {
    // Depth <= terms + nesting: a fixed stack suffices.
    std::array<bool, kMaxConditionTerms + kMaxConditionDepth + 2> stack{};
    size_t sp = 0;
    for (const Step& s : steps) {
      switch (s.op) {
        case kPush:
          stack[sp++] = (bits >> s.arg) & 1;
          break;
        case kNot:
          stack[sp - 1] = !stack[sp - 1];
          break;
        case kAnd:
        case kOr: {
          bool r = s.op == kAnd;
          for (uint32_t i = 0; i < s.arg; ++i) {
            r = s.op == kAnd ? (r && stack[sp - 1 - i]) : (r || stack[sp - 1 - i]);
          }
          sp -= s.arg;
          stack[sp++] = r;
          break;
        }
      }
    }
    return sp == 1 && stack[0];
  }
};

}  // namespace

base::Result<ParsedCondition> ParseConditionText(std::string_view text) {
  if (text.size() > kMaxConditionLength) {
    return base::InvalidArgument("condition: is " + std::to_string(text.size()) +
                                 " bytes, more than the limit of " +
                                 std::to_string(kMaxConditionLength));
  }
  return Parser(text).Parse();
}

bool EvaluateCondition(const ConditionNode& node, uint64_t bits) {
  switch (node.kind) {
    case ConditionNode::Kind::kTerm:
      return (bits >> node.term) & 1;
    case ConditionNode::Kind::kNot:
      return !EvaluateCondition(node.children[0], bits);
    case ConditionNode::Kind::kAnd:
      for (const auto& c : node.children) {
        if (!EvaluateCondition(c, bits)) return false;
      }
      return true;
    case ConditionNode::Kind::kOr:
      for (const auto& c : node.children) {
        if (EvaluateCondition(c, bits)) return true;
      }
      return false;
  }
  return false;
}

base::Result<ConditionSearchResult> SearchCondition(const store::Store& store,
                                                    const SignalNames& names,
                                                    const ConditionSearchQuery& q,
                                                    const Deadline& deadline) {
  auto parsed = ParseConditionText(q.condition);
  if (!parsed.ok()) return parsed.status();
  PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
  std::vector<BoundTerm> terms;
  ConditionSearchResult res;
  for (const ConditionTerm& t : parsed->terms) {
    auto b = BoundTerm::Bind(store, names, t);
    if (!b.ok()) return b.status();
    res.signals.push_back(b->signal());
    terms.push_back(std::move(*b));
  }
  Program prog;
  prog.Compile(parsed->root);

  // One cursor per distinct signal; each updates the bits of its terms.
  struct Cursor {
    std::span<const uint32_t> rows;
    size_t pos = 0;
    std::vector<uint32_t> terms;
  };
  std::vector<Cursor> cursors;
  for (uint32_t i = 0; i < terms.size(); ++i) {
    auto it = std::find_if(cursors.begin(), cursors.end(), [&](const Cursor& c) {
      return terms[c.terms[0]].signal() == terms[i].signal();
    });
    if (it == cursors.end()) {
      cursors.push_back({store.signal_rows(terms[i].signal()), 0, {i}});
    } else {
      it->terms.push_back(i);
    }
  }

  const int64_t* time = store.row_time().data();
  const uint32_t* value = store.row_value().data();
  if (store.row_count() == 0) return res;
  const int64_t session_start = store.row_time().front();
  const int64_t session_end = store.row_time().back();
  bool started = false;
  const bool want_window = q.window_start_ns && q.window_end_ns;
  const int64_t wa = want_window ? *q.window_start_ns : 0;
  const int64_t wb = want_window ? *q.window_end_ns : 0;

  uint64_t bits = 0;
  bool holds = false;
  int64_t open_start = 0;
  uint64_t steps = 0;
  uint64_t change_points = 0;
  // Closes (or reports open) the interval that started at open_start.
  auto finish = [&](int64_t end, bool open) {
    ConditionInterval iv{open_start, end, open};
    ++res.count;
    if (iv.start_ns > q.at_ns && !res.next) res.next = iv;
    if (iv.start_ns < q.at_ns) {
      res.prev = iv;
      ++res.before;
    }
    if (iv.start_ns <= q.at_ns && (q.at_ns < iv.end_ns || (open && q.at_ns >= iv.start_ns)))
      res.current = iv;
    if (want_window && iv.start_ns <= wb && (iv.end_ns >= wa || open)) {
      if (res.window.size() < q.window_limit) {
        res.window.push_back(iv);
      } else {
        res.window_truncated = true;
      }
    }
  };

  // Each cursor's next sample time, side by side (INT64_MAX when done), so
  // that finding the next change point reads one small array.
  constexpr size_t kPrefetch = 4;
  std::vector<int64_t> next_t(cursors.size());
  for (size_t i = 0; i < cursors.size(); ++i) {
    next_t[i] = cursors[i].rows.empty() ? INT64_MAX : time[cursors[i].rows[0]];
  }
  for (;;) {
    // The next change point: the smallest next sample time of any cursor.
    // The session's first instant is a change point too: a condition true
    // with no values yet (e.g. `!(A = 1)`) holds from the session's start.
    int64_t t = started ? INT64_MAX : session_start;
    started = true;
    for (const int64_t x : next_t) t = std::min(t, x);
    if (t == INT64_MAX) break;
    for (size_t i = 0; i < cursors.size(); ++i) {
      if (next_t[i] != t) continue;
      Cursor& c = cursors[i];
      size_t p = c.pos;
      // Every sample at this instant; the last one is in force.
      int64_t after = INT64_MAX;
      while (p + 1 < c.rows.size()) {
        after = time[c.rows[p + 1]];
        if (after != t) break;
        ++p;
        after = INT64_MAX;
      }
      const uint32_t v = value[c.rows[p]];
      for (uint32_t term : c.terms) {
        const uint64_t bit = uint64_t{1} << term;
        bits = terms[term].Holds(v) ? (bits | bit) : (bits & ~bit);
      }
      steps += p + 1 - c.pos;
      c.pos = p + 1;
      next_t[i] = after;
      // The rows of one signal are scattered over the 12 M-row columns:
      // fetch a few samples ahead so that the misses overlap.
      if (c.pos + kPrefetch < c.rows.size()) {
        __builtin_prefetch(time + c.rows[c.pos + kPrefetch]);
        __builtin_prefetch(value + c.rows[c.pos + kPrefetch]);
      }
    }
    const bool now = prog.Run(bits);
    if (now != holds) {
      if (now) {
        open_start = t;
      } else {
        finish(t, false);
      }
      holds = now;
    }
    if (++change_points % kPollRows == 0) PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
  }
  if (holds) finish(session_end, true);
  res.samples_read = steps;
  return res;
}

}  // namespace plcscope::query
