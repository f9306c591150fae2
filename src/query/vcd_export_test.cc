// VCD export on a hand-made store: the whole text, byte for byte.
#include "query/vcd_export.h"

#include <gtest/gtest.h>

#include "query/test_store.h"

namespace plcscope::query {
namespace {

using testing::BuildSampleStore;

constexpr int64_t kMs = 1'000'000;

std::string Vcd(const Session& s, const VcdQuery& q) {
  std::string out;
  base::Status st = ExportVcd(s.store(), q, [&](std::string_view c) {
    out.append(c);
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return out;
}

TEST(VcdExport, EveryTypeInitialValuesChangesOnlyAndTheLastSampleOfAnInstant) {
  auto store = BuildSampleStore({
      {1000, "CNV 1", "RUN", "OFF"},
      {1000, "CNV 1", "COUNT", "5"},
      {1005, "CNV 1", "STATE", "IDLE"},
      {1010, "CNV 1", "RUN", "ON"},
      {1010, "CNV 1", "RUN", "OFF"},  // the same instant: OFF is the value; no change
      {1020, "CNV 1", "COUNT", "-1"},
      {1020, "CNV 1", "RUN", "ON"},
      {1030, "CNV 1", "STATE", "ERR: jam \\ x"},
      {1040, "LIFT", "POS[1]", "2.5"},
      {1050, "CNV 1", "COUNT", "-1"},  // same value: nothing written
      {2000, "CNV 1", "RUN", "OFF"},   // after the window
  });
  ASSERT_NE(store, nullptr);
  Session s(store);
  VcdQuery q;
  q.signals = s.ResolveSignals(
      std::vector<std::string>{"CNV 1::RUN", "CNV 1::COUNT", "CNV 1::STATE", "LIFT::POS[1]"});
  ASSERT_EQ(q.signals.size(), 4u);
  q.start_ns = 1002 * kMs;
  q.end_ns = 1100 * kMs;
  q.version = "9.9";
  const std::string expected =
      "$date\n  1970-01-01T00:00:01.002Z\n$end\n"
      "$version\n  plcscope 9.9\n$end\n"
      "$comment\n  time 0 = 1970-01-01T00:00:01.002Z start_ns=1002000000 end_ns=1100000000\n"
      "$end\n"
      "$timescale 1 us $end\n"
      "$scope module CNV_1 $end\n"
      "$var wire 1 ! RUN $end\n"
      "$var integer 64 \" COUNT $end\n"
      "$var string 1 # STATE $end\n"
      "$upscope $end\n"
      "$scope module LIFT $end\n"
      "$var real 64 $ POS_1_ $end\n"
      "$upscope $end\n"
      "$enddefinitions $end\n"
      "#0\n$dumpvars\n0!\nb101 \"\n$end\n"
      "#3000\nsIDLE #\n"
      "#18000\nb1111111111111111111111111111111111111111111111111111111111111111 \"\n1!\n"
      "#28000\nsERR:\\x20jam\\x20\\x5c\\x20x #\n"
      "#38000\nr2.5 $\n"
      "#98000\n";
  EXPECT_EQ(Vcd(s, q), expected);
  EXPECT_EQ(VcdIdentifier(0), "!");
  EXPECT_EQ(VcdIdentifier(93), "~");
  EXPECT_EQ(VcdIdentifier(94), "!\"");
}

TEST(VcdExport, NanosecondTimesAndNoValueYet) {
  auto store = testing::BuildStore([](store::SessionBuilder& b) {
    const uint32_t dev = b.Device("D", "D");
    const uint32_t st = b.Stream(b.Signal(dev, "B"), "", 0);
    b.AddRow(1000 * kMs + 7, st, b.Value("ON", base::DeclaredType::kInfer));
  });
  ASSERT_NE(store, nullptr);
  Session s(store);
  VcdQuery q;
  q.signals = {0};
  q.start_ns = 1000 * kMs;
  q.end_ns = 1001 * kMs;
  const std::string vcd = Vcd(s, q);
  EXPECT_NE(vcd.find("$timescale 1 ns $end\n"), std::string::npos) << vcd;
  EXPECT_NE(vcd.find("#0\n$dumpvars\nx!\n$end\n#7\n1!\n#1000000\n"), std::string::npos) << vcd;
  // A receiver that stops the download makes it an IoError.
  base::Status st = ExportVcd(s.store(), q, [](std::string_view) { return false; });
  EXPECT_EQ(st.code(), base::StatusCode::kIoError);
}

}  // namespace
}  // namespace plcscope::query
