// Condition search: the parser (precedence, errors, bounds), the semantics
// on hand-made stores, and a property test against a brute-force scan of
// every row of generated stores (no per-signal index, no change-point merge).
#include "query/condition_search.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "query/query.h"
#include "query/test_store.h"

namespace plcscope::query {
namespace {

using testing::BuildSampleStore;
using testing::TestSample;

constexpr int64_t kMs = 1'000'000;

std::string ErrorOf(std::string_view text) {
  auto r = ParseConditionText(text);
  return r.ok() ? std::string("<ok>") : r.status().message();
}

TEST(ConditionParse, PrecedenceAndForms) {
  auto r = ParseConditionText("A = ON && B != OFF || C >= 3 and D<=-2.5 OR !(E > 1)");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->terms.size(), 5u);
  EXPECT_EQ(r->terms[0].signal, "A");
  EXPECT_EQ(r->terms[1].op, CompareOp::kNe);
  EXPECT_EQ(r->terms[2].op, CompareOp::kGe);
  EXPECT_EQ(r->terms[3].signal, "D");
  EXPECT_EQ(r->terms[3].op, CompareOp::kLe);
  EXPECT_EQ(r->terms[3].value, "-2.5");
  EXPECT_EQ(r->terms[4].op, CompareOp::kGt);
  // (A && B) || (C && D) || !E
  EXPECT_EQ(r->root.kind, ConditionNode::Kind::kOr);
  ASSERT_EQ(r->root.children.size(), 3u);
  EXPECT_EQ(r->root.children[0].kind, ConditionNode::Kind::kAnd);
  EXPECT_EQ(r->root.children[2].kind, ConditionNode::Kind::kNot);
  // Truth table spot checks: bits A..E = 0..4.
  EXPECT_TRUE(EvaluateCondition(r->root, 0b00011));   // A && B
  EXPECT_FALSE(EvaluateCondition(r->root, 0b10001));  // A only, E true
  EXPECT_TRUE(EvaluateCondition(r->root, 0b00001));   // !E
  EXPECT_TRUE(EvaluateCondition(r->root, 0b11100));   // C && D

  auto q = ParseConditionText("\"DEV 1::my sig\" == 'IDLE (x)' && K=\"a\\\"b\"");
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->terms[0].signal, "DEV 1::my sig");
  EXPECT_EQ(q->terms[0].value, "IDLE (x)");
  EXPECT_TRUE(q->terms[0].quoted);
  EXPECT_EQ(q->terms[1].value, "a\"b");
  // A signal named NOT or AND is a signal where a term is expected.
  auto n = ParseConditionText("NOT = 1 && NOT X = 2");
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n->terms[0].signal, "NOT");
  EXPECT_EQ(n->root.children[1].kind, ConditionNode::Kind::kNot);
  EXPECT_EQ(ParseConditionText("DEV::SIG=ON").value().terms[0].signal, "DEV::SIG");
}

TEST(ConditionParse, ErrorsNameTheColumnAndWhatWasExpected) {
  EXPECT_EQ(ErrorOf(""), "condition: is empty");
  EXPECT_EQ(ErrorOf("   "), "condition: is empty");
  EXPECT_EQ(ErrorOf("A"),
            "condition: at column 2: expected an operator (= != > < >= <=) after 'A' but the "
            "text ended");
  EXPECT_EQ(ErrorOf("A ~ 3"),
            "condition: at column 3: expected an operator (= != > < >= <=) after 'A' but found "
            "'~ 3'");
  EXPECT_EQ(ErrorOf("A = "), "condition: at column 5: expected a value but the text ended");
  EXPECT_EQ(ErrorOf("A = 1 &&"),
            "condition: at column 9: expected a term 'signal OP value' but the text ended");
  EXPECT_EQ(ErrorOf("(A = 1"), "condition: at column 7: expected ')' but the text ended");
  EXPECT_EQ(ErrorOf("A = 1 B = 2"),
            "condition: at column 7: expected && or || (or the end) but found 'B = 2'");
  EXPECT_EQ(ErrorOf("A = \"open"), "condition: at column 5: a quoted text has no closing \"");
  EXPECT_EQ(ErrorOf("= 3"), "condition: at column 1: expected a signal name but found '= 3'");
}

TEST(ConditionParse, BoundsAreErrors) {
  std::string many;
  for (size_t i = 0; i <= kMaxConditionTerms; ++i)
    many += (i ? " && S" : "S") + std::to_string(i) + "=1";
  EXPECT_NE(ErrorOf(many).find("more than 32 terms"), std::string::npos) << ErrorOf(many);
  std::string deep(kMaxConditionDepth + 1, '(');
  deep += "A=1" + std::string(kMaxConditionDepth + 1, ')');
  EXPECT_NE(ErrorOf(deep).find("nested deeper than 32 levels"), std::string::npos);
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += '!';
  EXPECT_NE(ErrorOf(nots).find("more than the limit of 4096"), std::string::npos);
  std::string nots_short(1000, '!');
  EXPECT_NE(ErrorOf(nots_short + "A=1").find("nested deeper"), std::string::npos);
}

// Whatever bytes a client sends: a parse or an InvalidArgument, never a
// crash, and a parse that evaluates (the tree is well formed).
TEST(ConditionParse, RandomBytesAreParsedOrRejected) {
  std::mt19937_64 rng(7);
  const std::string alphabet = "AB:=!<>()&|\"' \\x1-.OoNnTtAaDdRr\t";
  size_t ok = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    if (i % 2 == 0) {
      const size_t n = rng() % 40;
      for (size_t k = 0; k < n; ++k) {
        text.push_back(rng() % 8 == 0 ? static_cast<char>(rng() % 256)
                                      : alphabet[rng() % alphabet.size()]);
      }
    } else {
      // A few edits of a valid condition.
      text = "(D::A = ON && !(B != 'x y')) || C >= -2.5 AND NOT D<\"q\"";
      for (int e = static_cast<int>(rng() % 3); e >= 0; --e) {
        const size_t at = rng() % (text.size() + 1);
        if (rng() % 2 && at < text.size()) {
          text.erase(at, 1);
        } else {
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
        }
      }
    }
    auto r = ParseConditionText(text);
    if (r.ok()) {
      ++ok;
      EXPECT_LE(r->terms.size(), kMaxConditionTerms);
      EvaluateCondition(r->root, rng());
    } else {
      EXPECT_EQ(r.status().code(), base::StatusCode::kInvalidArgument) << text;
      EXPECT_EQ(r.status().message().rfind("condition: ", 0), 0u) << r.status().message();
    }
  }
  EXPECT_GT(ok, 0u);
}

class ConditionSemantics : public ::testing::Test {
 protected:
  void SetUp() override {
    // RUN and JAM on one conveyor, a counter and a state text; T = 1000 + ms.
    store_ = BuildSampleStore({
        {1000, "CNV", "RUN", "OFF"},
        {1000, "CNV", "JAM", "OFF"},
        {1010, "CNV", "RUN", "ON"},   // RUN && !JAM from 1010
        {1020, "CNV", "JAM", "ON"},   // false at 1020
        {1030, "CNV", "JAM", "OFF"},  // true again at 1030
        {1030, "CNV", "COUNT", "5"},  // same instant as JAM
        {1040, "CNV", "RUN", "OFF"},  // false at 1040
        {1040, "CNV", "RUN", "ON"},   // ...but ON again at the same instant: still true
        {1050, "CNV", "RUN", "OFF"},  // false at 1050
        {1060, "CNV", "STATE", "IDLE"},
        {1070, "CNV", "RUN", "ON"},  // true from 1070, open
        {1080, "OTHER", "RUN", "OFF"},
        {1090, "CNV", "COUNT", "2"},
    });
    ASSERT_NE(store_, nullptr);
    session_ = std::make_unique<Session>(store_);
  }
  ConditionSearchResult Search(const std::string& cond, int64_t at_ms) {
    ConditionSearchQuery q;
    q.condition = cond;
    q.at_ns = at_ms * kMs;
    auto r = session_->SearchCondition(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : ConditionSearchResult{};
  }
  std::string Error(const std::string& cond) {
    ConditionSearchQuery q;
    q.condition = cond;
    auto r = session_->SearchCondition(q);
    return r.ok() ? "<ok>" : r.status().message();
  }
  std::shared_ptr<const store::Store> store_;
  std::unique_ptr<Session> session_;
};

TEST_F(ConditionSemantics, IntervalsHoldTheLastValueAndSameInstantSamplesCollapse) {
  auto r = Search("CNV::RUN = ON && CNV::JAM = OFF", 1000);
  EXPECT_EQ(r.count, 3u);  // [1010,1020) [1030,1050) [1070, open)
  ASSERT_TRUE(r.next);
  EXPECT_EQ(r.next->start_ns, 1010 * kMs);
  EXPECT_EQ(r.next->end_ns, 1020 * kMs);
  EXPECT_FALSE(r.prev);
  EXPECT_FALSE(r.current);

  r = Search("CNV::RUN = ON && CNV::JAM = OFF", 1035);
  ASSERT_TRUE(r.current);
  EXPECT_EQ(r.current->start_ns, 1030 * kMs);
  EXPECT_EQ(r.current->end_ns, 1050 * kMs);
  EXPECT_EQ(r.prev->start_ns, 1030 * kMs);
  EXPECT_EQ(r.next->start_ns, 1070 * kMs);
  EXPECT_TRUE(r.next->open);
  EXPECT_EQ(r.next->end_ns, 1090 * kMs);  // the session's last sample

  // Exactly on a start: next is strictly after, prev strictly before.
  r = Search("CNV::RUN = ON && CNV::JAM = OFF", 1030);
  EXPECT_EQ(r.prev->start_ns, 1010 * kMs);
  EXPECT_EQ(r.next->start_ns, 1070 * kMs);
  EXPECT_EQ(r.current->start_ns, 1030 * kMs);
}

TEST_F(ConditionSemantics, NoValueYetIsFalseAndTypesCompare) {
  // COUNT has no sample before 1030: even != is false there.
  auto r = Search("COUNT != 7", 0);
  EXPECT_EQ(r.count, 1u);
  EXPECT_EQ(r.next->start_ns, 1030 * kMs);
  EXPECT_EQ(Search("COUNT > 3", 0).count, 1u);   // [1030, 1090)
  EXPECT_EQ(Search("COUNT >= 2", 0).count, 1u);  // 5 then 2: one interval
  EXPECT_EQ(Search("COUNT <= 2", 0).next->start_ns, 1090 * kMs);
  EXPECT_EQ(Search("STATE = IDLE", 0).next->start_ns, 1060 * kMs);
  EXPECT_EQ(Search("STATE = \"IDLE\" && CNV::RUN = true", 0).next->start_ns, 1070 * kMs);
  EXPECT_EQ(Search("STATE > HALT", 0).count, 1u);               // text order
  EXPECT_EQ(Search("CNV::RUN = 1 || COUNT < 0", 0).count, 2u);  // [1010,1050) [1070,..)
  EXPECT_EQ(Search("!(CNV::RUN = on)", 0).next->start_ns, 1000 * kMs);
  EXPECT_EQ(Search("OTHER::RUN = OFF", 0).count, 1u);
  EXPECT_EQ(Search("CNV::RUN = ON && CNV::RUN = OFF", 0).count, 0u);
}

TEST_F(ConditionSemantics, BindingErrorsNameTheTerm) {
  EXPECT_EQ(Error("NOPE = 1"), "condition: in 'NOPE = 1': unknown signal 'NOPE'");
  EXPECT_EQ(Error("RUN = ON"),
            "condition: in 'RUN = ON': 'RUN' is a signal on 2 devices; name one as "
            "device::signal, e.g. 'CNV::RUN' or 'OTHER::RUN'");
  EXPECT_EQ(Error("CNV::RUN = maybe"),
            "condition: in 'CNV::RUN = maybe': 'CNV::RUN' is a boolean signal; compare it with "
            "ON/OFF, true/false or 1/0, not 'maybe'");
  EXPECT_EQ(Error("COUNT > abc"),
            "condition: in 'COUNT > abc': 'COUNT' is an integer signal; 'abc' is not a number");
}

TEST_F(ConditionSemantics, WindowListsOverlappingIntervalsUpToTheLimit) {
  ConditionSearchQuery q;
  q.condition = "CNV::RUN = ON && CNV::JAM = OFF";
  q.window_start_ns = 1015 * kMs;
  q.window_end_ns = 1075 * kMs;
  auto r = session_->SearchCondition(q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->window.size(), 3u);
  EXPECT_EQ(r->window[0].start_ns, 1010 * kMs);
  EXPECT_FALSE(r->window_truncated);
  q.window_limit = 2;
  r = session_->SearchCondition(q);
  EXPECT_EQ(r->window.size(), 2u);
  EXPECT_TRUE(r->window_truncated);
  q.window_start_ns = 1051 * kMs;
  q.window_end_ns = 1069 * kMs;
  q.window_limit = 10;
  EXPECT_TRUE(session_->SearchCondition(q)->window.empty());
}

TEST_F(ConditionSemantics, PastDeadlineStops) {
  ConditionSearchQuery q;
  q.condition = "CNV::RUN = ON";
  auto r = session_->SearchCondition(q, Deadline::At(0, 5));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(IsStopped(r.status()));
}

// ---------------------------------------------------------------- property test

struct Sig {
  std::string key;
  std::vector<std::string> values;
};

const std::vector<std::string> kBool = {"ON", "OFF", "true", "false", "0", "1"};
const std::vector<std::string> kInt = {"0", "1", "3", "7", "-2", "12", "0x10"};
const std::vector<std::string> kFloat = {"0.5", "1.5", "-3.25", "2", "7.75"};
const std::vector<std::string> kText = {"IDLE", "RUN", "ERR: jam", "", "12", "9"};

// The brute force: a plain scan of every row in time order, the latest row
// per signal, the condition evaluated after each instant's last row.
class Brute {
 public:
  Brute(const store::Store& st, const std::vector<uint32_t>& sigs, const ParsedCondition& c) {
    std::map<uint32_t, uint64_t> last;
    bool holds = false;
    int64_t start = 0;
    const uint64_t n = st.row_count();
    for (uint64_t r = 0; r < n; ++r) {
      last[st.row_signal(r)] = r;
      if (r + 1 < n && st.row_time()[r + 1] == st.row_time()[r]) continue;
      uint64_t bits = 0;
      for (size_t i = 0; i < c.terms.size(); ++i) {
        auto it = last.find(sigs[i]);
        if (it != last.end() && TermTrue(c.terms[i], st.RowValue(it->second))) bits |= 1ull << i;
      }
      const bool now = EvaluateCondition(c.root, bits);
      if (now && !holds) start = st.row_time()[r];
      if (!now && holds) intervals.push_back({start, st.row_time()[r], false});
      holds = now;
    }
    if (holds) intervals.push_back({start, st.row_time().back(), true});
  }
  std::vector<ConditionInterval> intervals;

 private:
  static bool Cmp(CompareOp op, double a, double b) {
    switch (op) {
      case CompareOp::kEq:
        return a == b;
      case CompareOp::kNe:
        return a != b;
      case CompareOp::kGt:
        return a > b;
      case CompareOp::kLt:
        return a < b;
      case CompareOp::kGe:
        return a >= b;
      case CompareOp::kLe:
        return a <= b;
    }
    return false;
  }
  static bool Num(const std::string& s, double* x) {
    int64_t i;
    if (base::ParseInteger(s, &i)) return *x = static_cast<double>(i), true;
    return base::ParseFloat(s, x);
  }
  bool TermTrue(const ConditionTerm& t, const store::ShownValue& v) const {
    double lit = 0;
    bool flag;
    if (base::ParseBooleanWord(t.value, &flag)) {
      lit = flag ? 1 : 0;
    } else {
      Num(t.value, &lit);
    }
    switch (v.type) {
      case base::ValueType::kBoolean:
        return Cmp(t.op, v.b ? 1.0 : 0.0, lit);
      case base::ValueType::kInteger:
        return Cmp(t.op, static_cast<double>(v.i), lit);
      case base::ValueType::kFloat:
        return Cmp(t.op, v.d, lit);
      case base::ValueType::kString: {
        const std::string s(v.s);
        if (t.op == CompareOp::kEq) return s == t.value;
        if (t.op == CompareOp::kNe) return s != t.value;
        if (Num(t.value, &lit)) {
          double x;
          return Num(s, &x) && Cmp(t.op, x, lit);
        }
        const int c = s.compare(t.value);
        return Cmp(t.op, c, 0);
      }
    }
    return false;
  }
};

class ConditionProperty : public ::testing::TestWithParam<uint64_t> {};

TEST_P(ConditionProperty, MatchesBruteForce) {
  std::mt19937_64 rng(GetParam());
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::vector<Sig> sigs;
  const std::vector<std::pair<std::string, const std::vector<std::string>*>> kinds = {
      {"B1", &kBool}, {"B2", &kBool}, {"N", &kInt}, {"F", &kFloat}, {"S", &kText}};
  for (const std::string dev : {"D0", "D1", "D2"}) {
    for (const auto& [name, vals] : kinds) sigs.push_back({dev + "::" + name, *vals});
  }
  std::vector<TestSample> samples;
  int64_t t = 1'700'000'000'000;
  const int rows = 15000 + static_cast<int>(pick(5000));
  for (int i = 0; i < rows; ++i) {
    if (pick(4) != 0) t += 1 + static_cast<int64_t>(pick(20));  // 1 in 4 shares the instant
    const Sig& s = sigs[pick(sigs.size())];
    const auto dev = s.key.substr(0, 2), name = s.key.substr(4);
    samples.push_back({t, dev, name, s.values[pick(s.values.size())]});
  }
  auto store = BuildSampleStore(samples);
  ASSERT_NE(store, nullptr);
  Session session(store);
  const std::vector<std::string> ops = {"=", "!=", ">", "<", ">=", "<="};
  for (int round = 0; round < 60; ++round) {
    // A random expression of 1..5 terms.
    std::string cond;
    const size_t n = 1 + pick(5);
    int open = 0;
    for (size_t i = 0; i < n; ++i) {
      if (i) cond += pick(2) ? " && " : " || ";
      if (pick(5) == 0) cond += "!";
      if (pick(4) == 0) {
        cond += "(";
        ++open;
      }
      const Sig& s = sigs[pick(sigs.size())];
      std::string v = s.values[pick(s.values.size())];
      if (s.key.ends_with("::S")) v = "\"" + v + "\"";
      cond += s.key + " " + ops[pick(ops.size())] + " " + v;
      if (open && pick(2)) {
        cond += ")";
        --open;
      }
    }
    cond += std::string(open, ')');
    auto parsed = ParseConditionText(cond);
    ASSERT_TRUE(parsed.ok()) << cond << ": " << parsed.status().message();
    std::vector<uint32_t> ids;
    for (const auto& term : parsed->terms) ids.push_back(store->FindSignal(term.signal));
    const Brute brute(*store, ids, *parsed);

    for (int k = 0; k < 8; ++k) {
      ConditionSearchQuery q;
      q.condition = cond;
      q.at_ns = pick(2)
                    ? store->row_time()[pick(store->row_count())]
                    : store->row_time().front() - 5 * kMs +
                          static_cast<int64_t>(pick(static_cast<size_t>(
                              store->row_time().back() - store->row_time().front() + 10 * kMs)));
      q.window_start_ns = q.at_ns - 40 * kMs;
      q.window_end_ns = q.at_ns + 40 * kMs;
      q.window_limit = 5;
      auto r = session.SearchCondition(q);
      ASSERT_TRUE(r.ok()) << cond << ": " << r.status().message();
      ASSERT_EQ(r->count, brute.intervals.size()) << cond;
      uint64_t before = 0;
      for (const auto& iv : brute.intervals) before += iv.start_ns < q.at_ns;
      EXPECT_EQ(r->before, before) << cond;
      std::optional<ConditionInterval> next, prev, cur;
      std::vector<ConditionInterval> window;
      for (const auto& iv : brute.intervals) {
        if (iv.start_ns > q.at_ns && !next) next = iv;
        if (iv.start_ns < q.at_ns) prev = iv;
        if (iv.start_ns <= q.at_ns && (q.at_ns < iv.end_ns || iv.open)) cur = iv;
        if (iv.start_ns <= *q.window_end_ns && (iv.end_ns >= *q.window_start_ns || iv.open))
          window.push_back(iv);
      }
      auto same = [](const std::optional<ConditionInterval>& a,
                     const std::optional<ConditionInterval>& b) {
        if (a.has_value() != b.has_value()) return false;
        return !a || (a->start_ns == b->start_ns && a->end_ns == b->end_ns && a->open == b->open);
      };
      EXPECT_TRUE(same(r->next, next)) << cond << " at " << q.at_ns;
      EXPECT_TRUE(same(r->prev, prev)) << cond << " at " << q.at_ns;
      EXPECT_TRUE(same(r->current, cur)) << cond << " at " << q.at_ns;
      EXPECT_EQ(r->window_truncated, window.size() > 5) << cond;
      ASSERT_EQ(r->window.size(), std::min<size_t>(window.size(), 5)) << cond;
      for (size_t i = 0; i < r->window.size(); ++i) {
        EXPECT_EQ(r->window[i].start_ns, window[i].start_ns) << cond;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, ConditionProperty, ::testing::Values(1, 2, 3, 7, 42));

}  // namespace
}  // namespace plcscope::query
