#include <gtest/gtest.h>

#include <string>

#include "base/time_util.h"
#include "ingest/formats/line_parser.h"
#include "ingest/formats/test_sink.h"

namespace plcscope::ingest {
namespace {

OwnedSample One(std::string_view line) { return ParseOne(Format::kPlcTab, line); }

std::string Error(std::string_view line) { return ParseError(Format::kPlcTab, line); }

TEST(PlcTab, SpecExample1) {
  OwnedSample s =
      One("2025-09-22 13:00:00.199 [] SYSTEM/PATH/DEV-456\tMY_SIGNAL\tIN\t123\t\tLOC\tF1\tF2\t"
          "2025-09-22 13:00:00.199");
  EXPECT_EQ(s.ts_ns, Ts("2025-09-22 13:00:00.199"));
  EXPECT_EQ(s.device, "DEV-456");
  EXPECT_EQ(s.path, "SYSTEM/PATH/DEV-456");
  EXPECT_EQ(s.signal, "MY_SIGNAL");
  EXPECT_EQ(s.value, "123");
  EXPECT_EQ(s.category, "");
  EXPECT_EQ(s.declared, base::DeclaredType::kInfer);
}

TEST(PlcTab, SpecExample2PaddedFields) {
  OwnedSample s =
      One("2026-02-05 00:00:00.026 [] B1ACNV13301-596\tI_BUFFER_STATUS            \tIN      \t0\t\t"
          "CNV_202:7\tT\tT\t2026-02-05 00:00:00.026");
  EXPECT_EQ(s.ts_ns, Ts("2026-02-05 00:00:00.026"));
  EXPECT_EQ(s.device, "B1ACNV13301-596");
  EXPECT_EQ(s.path, "B1ACNV13301-596");
  EXPECT_EQ(s.signal, "I_BUFFER_STATUS");
  EXPECT_EQ(s.value, "0");
  EXPECT_EQ(base::InferValue(s.value, s.declared).kind, base::ValueType::kInteger);
}

TEST(PlcTab, ExactlyFourFields) {
  OwnedSample s = One("2025-09-22 13:00:00.199 [] A/DEV\tSIG\tOUT\t  True  ");
  EXPECT_EQ(s.value, "True");
  EXPECT_EQ(base::InferValue(s.value, s.declared).kind, base::ValueType::kBoolean);
  EXPECT_EQ(One("2025-09-22 13:00:00.199 [] A/DEV\tSIG\tOUT\t").value, "");
  EXPECT_EQ(One("2025-09-22 13:00:00.199 [] A/DEV\tSIG\tOUT\tx y: [z]\r").value, "x y: [z]");
}

TEST(PlcTab, BadLines) {
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [] A/DEV\tSIG\tIN"), reason::kNoMatchPlcTab);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 A/DEV\tSIG\tIN\t1"), reason::kNoMatchPlcTab);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [x] A/DEV\tSIG\tIN\t1"), reason::kNoMatchPlcTab);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199[] A/DEV\tSIG\tIN\t1"), reason::kNoMatchPlcTab);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 []"), reason::kNoMatchPlcTab);
  EXPECT_EQ(Error("A/DEV\tSIG\tIN\t1"), reason::kNoMatchPlcTab);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] (int) : 1"),
            reason::kNoMatchPlcTab);
  EXPECT_EQ(Error("2025-09-32 13:00:00.199 [] A/DEV\tSIG\tIN\t1"), reason::kBadTimestamp);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [] A/\tSIG\tIN\t1"), reason::kNoDevice);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [] \tSIG\tIN\t1"), reason::kNoDevice);
  EXPECT_EQ(Error("2025-09-22 13:00:00.199 [] A/DEV\t   \tIN\t1"), reason::kNoSignal);
}

}  // namespace
}  // namespace plcscope::ingest
