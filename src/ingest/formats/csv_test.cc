#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "base/time_util.h"
#include "ingest/formats/line_parser.h"
#include "ingest/formats/test_sink.h"

namespace plcscope::ingest {
namespace {

OwnedSample One(std::string_view line) { return ParseOne(Format::kCsv, line); }

std::string Error(std::string_view line) { return ParseError(Format::kCsv, line); }

TEST(Csv, SpecExample1DeviceFromPath) {
  OwnedSample s = One("2025-10-21 23:08:27.995,B1ACNV13309-104@D19,B,62");
  EXPECT_EQ(s.ts_ns, Ts("2025-10-21 23:08:27.995"));
  EXPECT_EQ(s.device, "B1ACNV13309-104");
  EXPECT_EQ(s.path, "B1ACNV13309-104@D19");
  EXPECT_EQ(s.signal, "B");
  EXPECT_EQ(s.value, "62");
  EXPECT_EQ(s.category, "");
  EXPECT_EQ(s.declared, base::DeclaredType::kInfer);
  EXPECT_EQ(base::InferValue(s.value, s.declared).kind, base::ValueType::kInteger);
  EXPECT_EQ(base::InferValue(s.value, s.declared).bits, 62);
}

TEST(Csv, SpecExample2) {
  OwnedSample s = One("2025-09-22 13:00:00.000,DEV-101,Temperature,41");
  EXPECT_EQ(s.ts_ns, Ts("2025-09-22 13:00:00"));
  EXPECT_EQ(s.device, "DEV-101");
  EXPECT_EQ(s.path, "DEV-101");
  EXPECT_EQ(s.signal, "Temperature");
  EXPECT_EQ(s.value, "41");
}

TEST(Csv, SpecExample3BlanksAroundCommas) {
  OwnedSample s = One("2024-01-15 10:30:45.123, Device1, Signal1, TRUE");
  EXPECT_EQ(s.ts_ns, Ts("2024-01-15 10:30:45.123"));
  EXPECT_EQ(s.device, "Device1");
  EXPECT_EQ(s.signal, "Signal1");
  EXPECT_EQ(s.value, "TRUE");
  EXPECT_EQ(base::InferValue(s.value, s.declared).kind, base::ValueType::kBoolean);
  EXPECT_EQ(One(" 2024-01-15 10:30:45.123 ,\tDevice1 ,Signal1\t,  7  \r").value, "7");
}

TEST(Csv, ValueIsEverythingAfterTheThirdComma) {
  EXPECT_EQ(One("2024-01-15 10:30:45.123,D,S,a,b,c").value, "a,b,c");
  EXPECT_EQ(One("2024-01-15 10:30:45.123,D,S,").value, "");
  EXPECT_EQ(One("2024-01-15 10:30:45.123,D,S, say \"x\" ").value, "say \"x\"");
  EXPECT_EQ(One("2024-01-15 10:30:45.123,D,S,1,000").value, "1,000");
}

TEST(Csv, QuotedFields) {
  OwnedSample s = One("\"2024-01-15 10:30:45.123\",\"A/B,C/DEV-1\", \"SIG,X\" ,\"v,1\"");
  EXPECT_EQ(s.ts_ns, Ts("2024-01-15 10:30:45.123"));
  EXPECT_EQ(s.path, "A/B,C/DEV-1");
  EXPECT_EQ(s.device, "DEV-1");
  EXPECT_EQ(s.signal, "SIG,X");
  EXPECT_EQ(s.value, "v,1");
}

TEST(Csv, DoubledQuotesAreUnescaped) {
  OwnedSample s = One("2024-01-15 10:30:45.123,\"D \"\"1\"\"\",\"S\"\"\",\"say \"\"hi\"\", ok\"");
  EXPECT_EQ(s.path, "D \"1\"");
  EXPECT_EQ(s.device, "D \"1\"");  // no device by the path rule: the raw field
  EXPECT_EQ(s.signal, "S\"");
  EXPECT_EQ(s.value, "say \"hi\", ok");
  EXPECT_EQ(One("2024-01-15 10:30:45.123,D,S,\"\"").value, "");
  EXPECT_EQ(One("2024-01-15 10:30:45.123,D,S,\"\"\"\"").value, "\"");
}

TEST(Csv, ValueThatIsNotOneQuotedFieldStaysRaw) {
  EXPECT_EQ(One("2024-01-15 10:30:45.123,D,S,\"a\",\"b\"").value, "\"a\",\"b\"");
  EXPECT_EQ(One("2024-01-15 10:30:45.123,D,S,\"open").value, "\"open");
  EXPECT_EQ(One("2024-01-15 10:30:45.123,D,S,\"").value, "\"");
}

TEST(Csv, DeviceFallsBackToTheRawField) {
  OwnedSample s = One("2024-01-15 10:30:45.123,Line 1 / Station #2,S,1");
  EXPECT_EQ(s.device, "Line 1 / Station #2");
  EXPECT_EQ(s.path, "Line 1 / Station #2");
  EXPECT_EQ(One("2024-01-15 10:30:45.123,/PLC/Line1/StationA,S,1").device, "StationA");
  EXPECT_EQ(One("2024-01-15 10:30:45.123,A/B/,S,1").device, "A/B/");
}

TEST(Csv, BadLines) {
  EXPECT_EQ(Error("2024-01-15 10:30:45.123,D,S"), reason::kNoMatchCsv);
  EXPECT_EQ(Error("2024-01-15 10:30:45.123"), reason::kNoMatchCsv);
  EXPECT_EQ(Error("timestamp,device,signal,value"), reason::kNoMatchCsv);
  EXPECT_EQ(Error("hello,D,S,1"), reason::kNoMatchCsv);
  EXPECT_EQ(Error("2024-01-15 10:30:45.123 x,D,S,1"), reason::kBadTimestamp);
  EXPECT_EQ(Error("2024-13-15 10:30:45.123,D,S,1"), reason::kBadTimestamp);
  EXPECT_EQ(Error("2024-01-15,D,S,1"), reason::kBadTimestamp);
  EXPECT_EQ(Error("\"2024-01-15 10:30:45.123,D,S,1"), reason::kNoMatchCsv);
  EXPECT_EQ(Error("2024-01-15 10:30:45.123,\"D\"x,S,1"), reason::kNoMatchCsv);
  EXPECT_EQ(Error("2024-01-15 10:30:45.123, ,S,1"), reason::kNoDevice);
  EXPECT_EQ(Error("2024-01-15 10:30:45.123,\"\",S,1"), reason::kNoDevice);
  EXPECT_EQ(Error("2024-01-15 10:30:45.123,D, ,1"), reason::kNoSignal);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] (int) : 1"), reason::kNoMatchCsv);
}

// Unescaped text lives in per-thread scratch: two threads never share it.
TEST(Csv, ScratchIsPerThread) {
  auto run = [](std::string tag, bool* ok) {
    const std::string line = "2024-01-15 10:30:45.123,D,S,\"" + tag + "\"\"" + tag + "\"";
    const std::string want = tag + "\"" + tag;
    *ok = true;
    for (int i = 0; i < 2000; ++i) {
      struct Check : SampleSink {
        const std::string* want;
        bool ok = false;
        void OnSample(const Sample& s) override { ok = s.value == *want; }
        void OnError(std::string_view) override {}
      } check;
      check.want = &want;
      ParseLine(Format::kCsv, line, check);
      *ok = *ok && check.ok;
    }
  };
  bool ok1 = false, ok2 = false;
  std::thread t1(run, std::string(100, 'a'), &ok1);
  std::thread t2(run, std::string(50, 'b'), &ok2);
  t1.join();
  t2.join();
  EXPECT_TRUE(ok1);
  EXPECT_TRUE(ok2);
}

}  // namespace
}  // namespace plcscope::ingest
