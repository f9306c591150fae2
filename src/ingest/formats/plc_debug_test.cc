#include <gtest/gtest.h>

#include <string>

#include "base/time_util.h"
#include "ingest/formats/line_parser.h"
#include "ingest/formats/test_sink.h"

namespace plcscope::ingest {
namespace {

using base::DeclaredType;

OwnedSample One(std::string_view line) { return ParseOne(Format::kPlcDebug, line); }

std::string Error(std::string_view line) { return ParseError(Format::kPlcDebug, line); }

TEST(PlcDebug, SpecExample1) {
  OwnedSample s = One(
      "2025-09-22 13:00:00.199 [Debug] [SYSTEM/PATH/DEV-123] [INPUT2:I_MOVE_IN] (Boolean) : ON");
  EXPECT_EQ(s.ts_ns, Ts("2025-09-22 13:00:00.199"));
  EXPECT_EQ(s.device, "DEV-123");
  EXPECT_EQ(s.path, "SYSTEM/PATH/DEV-123");
  EXPECT_EQ(s.category, "INPUT2");
  EXPECT_EQ(s.signal, "I_MOVE_IN");
  EXPECT_EQ(s.value, "ON");
  EXPECT_EQ(s.declared, DeclaredType::kBoolean);
}

TEST(PlcDebug, SpecExample2) {
  OwnedSample s = One("2024-01-15 10:30:46.234 [DEBUG] [/PLC/Device2] [CAT:Signal2] (int) : 42");
  EXPECT_EQ(s.ts_ns, Ts("2024-01-15 10:30:46.234"));
  EXPECT_EQ(s.device, "Device2");
  EXPECT_EQ(s.path, "/PLC/Device2");
  EXPECT_EQ(s.category, "CAT");
  EXPECT_EQ(s.signal, "Signal2");
  EXPECT_EQ(s.value, "42");
  EXPECT_EQ(s.declared, DeclaredType::kInfer);
}

TEST(PlcDebug, SpecExample3) {
  OwnedSample s = One(
      "2025-09-22 13:00:00.000 [Info] [SYSTEM/LINE1/DEV-101] [INPUT:Temperature] (Integer) : 41");
  EXPECT_EQ(s.ts_ns, Ts("2025-09-22 13:00:00"));
  EXPECT_EQ(s.device, "DEV-101");
  EXPECT_EQ(s.path, "SYSTEM/LINE1/DEV-101");
  EXPECT_EQ(s.category, "INPUT");
  EXPECT_EQ(s.signal, "Temperature");
  EXPECT_EQ(s.value, "41");
  EXPECT_EQ(s.declared, DeclaredType::kInteger);
}

TEST(PlcDebug, SpecExample4IsAFloat) {
  OwnedSample s =
      One("2024-01-15 10:30:45.123 [INFO] [/PLC/Device1] [CATEGORY:Temperature] (float) : 23.5");
  EXPECT_EQ(s.device, "Device1");
  EXPECT_EQ(s.category, "CATEGORY");
  EXPECT_EQ(s.signal, "Temperature");
  EXPECT_EQ(s.value, "23.5");
  EXPECT_EQ(s.declared, DeclaredType::kInfer);
  EXPECT_EQ(base::InferValue(s.value, s.declared).kind, base::ValueType::kFloat);
  EXPECT_EQ(base::InferValue(s.value, s.declared).AsDouble(), 23.5);
}

TEST(PlcDebug, SpecExample5LongPath) {
  OwnedSample s =
      One("2025-09-22 13:00:00.014 [Debug] "
          "[B1BCNV22905_PRE_AGING#6.B1BCNV22905_PRE_AGING#6.Belts.B1BCNV22905-121@B37] "
          "[INPUT2:I_LEVEL2_TRAY_EXIST] (Boolean) : ON");
  EXPECT_EQ(s.ts_ns, Ts("2025-09-22 13:00:00.014"));
  EXPECT_EQ(s.device, "B1BCNV22905-121");
  EXPECT_EQ(s.path, "B1BCNV22905_PRE_AGING#6.B1BCNV22905_PRE_AGING#6.Belts.B1BCNV22905-121@B37");
  EXPECT_EQ(s.category, "INPUT2");
  EXPECT_EQ(s.signal, "I_LEVEL2_TRAY_EXIST");
  EXPECT_EQ(s.value, "ON");
  EXPECT_EQ(s.declared, DeclaredType::kBoolean);
}

TEST(PlcDebug, DeclaredTypesAnyCase) {
  const std::string head = "2025-09-22 13:00:00.199 [D] [A/DEV] [C:S] (";
  EXPECT_EQ(One(head + "BOOLEAN) : 1").declared, DeclaredType::kBoolean);
  EXPECT_EQ(One(head + "boolean) : 1").declared, DeclaredType::kBoolean);
  EXPECT_EQ(One(head + "integer) : 1").declared, DeclaredType::kInteger);
  EXPECT_EQ(One(head + "INTEGER) : 1").declared, DeclaredType::kInteger);
  EXPECT_EQ(One(head + "String) : 1").declared, DeclaredType::kString);
  EXPECT_EQ(One(head + "sTrInG) : 1").declared, DeclaredType::kString);
  EXPECT_EQ(One(head + " String ) : 1").declared, DeclaredType::kString);
  for (const char* other : {"int", "float", "bool", "word", "", "Boolean1", "Strings", "Int"}) {
    EXPECT_EQ(One(head + other + ") : 1").declared, DeclaredType::kInfer) << other;
  }
}

TEST(PlcDebug, ValueMayHoldColonsSpacesAndBrackets) {
  const std::string head = "2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] (String) : ";
  EXPECT_EQ(One(head + "a: b : c").value, "a: b : c");
  EXPECT_EQ(One(head + "[x] (y) {z}").value, "[x] (y) {z}");
  EXPECT_EQ(One(head + "  padded text   ").value, "padded text");
  EXPECT_EQ(One(head + "12:30:00").value, "12:30:00");
}

TEST(PlcDebug, EmptyValueIsAnEmptySample) {
  OwnedSample s = One("2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] (String) :");
  EXPECT_EQ(s.value, "");
  EXPECT_EQ(One("2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] (String) :   ").value, "");
}

TEST(PlcDebug, SignalIsTheTextAfterTheFirstColon) {
  OwnedSample s = One("2025-09-22 13:00:00.199 [D] [A/DEV] [ CAT : SIG:PART ] (int) : 1");
  EXPECT_EQ(s.category, "CAT");
  EXPECT_EQ(s.signal, "SIG:PART");
  OwnedSample no_cat = One("2025-09-22 13:00:00.199 [D] [A/DEV] [:SIG] (int) : 1");
  EXPECT_EQ(no_cat.category, "");
  EXPECT_EQ(no_cat.signal, "SIG");
}

TEST(PlcDebug, TimestampForms) {
  EXPECT_EQ(One("2025-09-22T13:00:00.199Z [D] [A/DEV] [C:S] (int) : 1").ts_ns,
            Ts("2025-09-22 13:00:00.199"));
  EXPECT_EQ(One("2025-09-22   13:00:00 [D] [A/DEV] [C:S] (int) : 1").ts_ns,
            Ts("2025-09-22 13:00:00"));
  EXPECT_EQ(One("2025-09-22 13:00:00.123456789 [D] [A/DEV] [C:S] (int) : 1").ts_ns,
            Ts("2025-09-22 13:00:00") + 123456789);
}

TEST(PlcDebug, LevelAndSpacingAreLenient) {
  EXPECT_EQ(One("2025-09-22 13:00:00.199 [] [A/DEV] [C:S] (int) : 1").device, "DEV");
  EXPECT_EQ(One("2025-09-22 13:00:00.199  [Debug]  [ A/DEV ]\t[C:S](int):1").value, "1");
  EXPECT_EQ(One("2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] (int) : 1").path, "A/DEV");
}

TEST(PlcDebug, TrailingCarriageReturnIgnored) {
  OwnedSample s = One("2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] (Boolean) : ON\r");
  EXPECT_EQ(s.value, "ON");
}

TEST(PlcDebug, BadTimestamps) {
  EXPECT_EQ(Error("2025-13-22 13:00:00.199 [Debug] [A/DEV] [C:S] (int) : 1"),
            reason::kBadTimestamp);
  EXPECT_EQ(Error("2025-09-22 13:00:61.199 [Debug] [A/DEV] [C:S] (int) : 1"),
            reason::kBadTimestamp);
  EXPECT_EQ(Error("2025-02-30 13:00:00 [Debug] [A/DEV] [C:S] (int) : 1"), reason::kBadTimestamp);
  EXPECT_EQ(Error("2025-09-22 13:00:00.1234567890 [Debug] [A/DEV] [C:S] (int) : 1"),
            reason::kBadTimestamp);
  EXPECT_EQ(Error("2025-09-22"), reason::kBadTimestamp);
}

TEST(PlcDebug, LinesOfAnotherShape) {
  for (const char* line : {
           "hello world",
           "",
           "13:00:00 [Debug] [A/DEV] [C:S] (int) : 1",
           "2025-09-22 13:00:00.199",
           "2025-09-22 13:00:00.199 Debug [A/DEV] [C:S] (int) : 1",
           "2025-09-22 13:00:00.199 [Debug [A/DEV] [C:S] (int) : 1",
           "2025-09-22 13:00:00.199 [Debug] A/DEV [C:S] (int) : 1",
           "2025-09-22 13:00:00.199 [Debug] [A/DEV] [CS] (int) : 1",
           "2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S (int) : 1",
           "2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] int : 1",
           "2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] (int : 1",
           "2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] (int) 1",
           "2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] : 1",
           "2025-09-22 13:00:00.199 [] SYSTEM/PATH/DEV-456\tMY_SIGNAL\tIN\t123",
           "2025-12-05 00:00:35.404 [UPDATE=CMD123, CAR-789] [CarrierLoc=B1ACNV13301-120]",
           "2025-10-21 23:08:27.995,B1ACNV13309-104@D19,B,62",
       }) {
    EXPECT_EQ(Error(line), reason::kNoMatchPlcDebug) << line;
  }
}

TEST(PlcDebug, NoDevice) {
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [D] [] [C:S] (int) : 1"), reason::kNoDevice);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [D] [A/B/] [C:S] (int) : 1"), reason::kNoDevice);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [D] [A/DEV 1] [C:S] (int) : 1"), reason::kNoDevice);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [D] [A/@B37] [C:S] (int) : 1"), reason::kNoDevice);
}

TEST(PlcDebug, NoSignal) {
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [D] [A/DEV] [C:] (int) : 1"), reason::kNoSignal);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [D] [A/DEV] [C:  ] (int) : 1"), reason::kNoSignal);
}

TEST(PlcDebug, ViewsPointIntoTheLine) {
  const std::string line =
      "2025-09-22 13:00:00.199 [Debug] [SYSTEM/PATH/DEV-123] [INPUT2:I_MOVE_IN] (Boolean) : ON";
  struct Check : SampleSink {
    const std::string* line;
    bool inside = false;
    bool In(std::string_view v) const {
      return v.data() >= line->data() && v.data() + v.size() <= line->data() + line->size();
    }
    void OnSample(const Sample& s) override {
      inside = In(s.device) && In(s.path) && In(s.signal) && In(s.category) && In(s.value);
    }
    void OnError(std::string_view) override {}
  } check;
  check.line = &line;
  ParseLine(Format::kPlcDebug, line, check);
  EXPECT_TRUE(check.inside);
}

}  // namespace
}  // namespace plcscope::ingest
