#include <gtest/gtest.h>

#include <string>

#include "base/time_util.h"
#include "ingest/formats/line_parser.h"
#include "ingest/formats/test_sink.h"

namespace plcscope::ingest {
namespace {

using base::DeclaredType;

RecordingSink Good(std::string_view line) { return ParseGood(Format::kMcs, line); }

std::string Error(std::string_view line) { return ParseError(Format::kMcs, line); }

// "signal=value" for each sample, with the shared fields checked.
std::vector<std::string> Pairs(const RecordingSink& sink, int64_t ts, std::string_view device) {
  std::vector<std::string> out;
  for (const OwnedSample& s : sink.samples) {
    EXPECT_EQ(s.ts_ns, ts);
    EXPECT_EQ(s.device, device);
    EXPECT_EQ(s.path, device);
    EXPECT_EQ(s.category, "");
    out.push_back(s.signal + "=" + s.value);
  }
  return out;
}

TEST(Mcs, SpecExampleTwoIds) {
  RecordingSink sink = Good(
      "2025-12-05 00:00:35.404 [UPDATE=CMD123, CAR-789] [CarrierLoc=B1ACNV13301-120], "
      "[Priority=5]");
  EXPECT_EQ(Pairs(sink, Ts("2025-12-05 00:00:35.404"), "CAR-789"),
            (std::vector<std::string>{"_Action=UPDATE", "_CommandID=CMD123",
                                      "CurrentLocation=B1ACNV13301-120", "Priority=5"}));
  ASSERT_EQ(sink.samples.size(), 4u);
  EXPECT_EQ(sink.samples[0].declared, DeclaredType::kString);
  EXPECT_EQ(sink.samples[1].declared, DeclaredType::kString);
  EXPECT_EQ(sink.samples[2].declared, DeclaredType::kInfer);
  EXPECT_EQ(sink.samples[3].declared, DeclaredType::kInteger);
}

TEST(Mcs, SpecExampleAdd) {
  RecordingSink sink =
      Good("2024-01-15 10:30:45.123 [ADD=CMD001, CARR001] [TransferState=ACTIVE] [Priority=1]");
  EXPECT_EQ(Pairs(sink, Ts("2024-01-15 10:30:45.123"), "CARR001"),
            (std::vector<std::string>{"_Action=ADD", "_CommandID=CMD001", "TransferState=ACTIVE",
                                      "Priority=1"}));
  ASSERT_EQ(sink.samples.size(), 4u);
  EXPECT_EQ(sink.samples[2].declared, DeclaredType::kString);
}

TEST(Mcs, SpecExampleOneId) {
  RecordingSink sink = Good("2024-01-15 10:30:47.345 [REMOVE=CMD001]");
  EXPECT_EQ(Pairs(sink, Ts("2024-01-15 10:30:47.345"), "CMD001"),
            (std::vector<std::string>{"_Action=REMOVE"}));
}

TEST(Mcs, OneIdWithGroups) {
  RecordingSink sink = Good("2024-01-15 10:30:47.345 [ADD=CAR1] [CarrierLocation=X-1] [Foo=bar]");
  EXPECT_EQ(Pairs(sink, Ts("2024-01-15 10:30:47.345"), "CAR1"),
            (std::vector<std::string>{"_Action=ADD", "CurrentLocation=X-1", "Foo=bar"}));
  // An empty second ID is the one-ID form.
  EXPECT_EQ(
      Pairs(Good("2024-01-15 10:30:47.345 [ADD=CAR1, ]"), Ts("2024-01-15 10:30:47.345"), "CAR1"),
      (std::vector<std::string>{"_Action=ADD"}));
}

TEST(Mcs, NoneAndEmptyGroupsGiveNoSample) {
  RecordingSink sink =
      Good("2024-01-15 10:30:45.123 [ADD=C1, CAR1] [A=None] [B=] [C=  ] [D=none] [E=None x]");
  EXPECT_EQ(Pairs(sink, Ts("2024-01-15 10:30:45.123"), "CAR1"),
            (std::vector<std::string>{"_Action=ADD", "_CommandID=C1", "D=none", "E=None x"}));
}

TEST(Mcs, ValueMayHoldEqualsAndSeparatorsDoNotMatter) {
  RecordingSink sink =
      Good("2024-01-15 10:30:45.123 [UPDATE=C1,CAR1][Expr=a=b=c],,  [ Key2 = v 2 ] \t, [K3=x:y]");
  EXPECT_EQ(Pairs(sink, Ts("2024-01-15 10:30:45.123"), "CAR1"),
            (std::vector<std::string>{"_Action=UPDATE", "_CommandID=C1", "Expr=a=b=c", "Key2=v 2",
                                      "K3=x:y"}));
}

TEST(Mcs, TypingByKey) {
  RecordingSink sink = Good(
      "2024-01-15 10:30:45.123 [UPDATE=C1, CAR1] [IsBoost=1] [IsMultiJob=yes] "
      "[IsMultipleDestination=FALSE] [IsLocationGroupOrder=On] [IsExecuteCommand=x] "
      "[Priority=5] [AltCount=1] [AltCount2=2] [WaitCount=3] [CirculationCount=4] "
      "[TransferState=1] [TransferState2=2] [TransferAbnormalState=3] "
      "[TransferAbnormalState2=4] [ResultCode=0] [ResultCode2=0] [CommandType=7] "
      "[Other=1] [isboost=1] [CarrierLoc=5]");
  std::vector<std::pair<std::string, DeclaredType>> got;
  for (const OwnedSample& s : sink.samples) got.emplace_back(s.signal, s.declared);
  using D = DeclaredType;
  EXPECT_EQ(got, (std::vector<std::pair<std::string, DeclaredType>>{
                     {"_Action", D::kString},
                     {"_CommandID", D::kString},
                     {"IsBoost", D::kFlag},
                     {"IsMultiJob", D::kFlag},
                     {"IsMultipleDestination", D::kFlag},
                     {"IsLocationGroupOrder", D::kFlag},
                     {"IsExecuteCommand", D::kFlag},
                     {"Priority", D::kInteger},
                     {"AltCount", D::kInteger},
                     {"AltCount2", D::kInteger},
                     {"WaitCount", D::kInteger},
                     {"CirculationCount", D::kInteger},
                     {"TransferState", D::kString},
                     {"TransferState2", D::kString},
                     {"TransferAbnormalState", D::kString},
                     {"TransferAbnormalState2", D::kString},
                     {"ResultCode", D::kString},
                     {"ResultCode2", D::kString},
                     {"CommandType", D::kString},
                     {"Other", D::kInfer},
                     {"isboost", D::kInfer},
                     {"CurrentLocation", D::kInfer},
                 }));
}

TEST(Mcs, ManyGroupsKeepTheirOrder) {
  // More groups than the parser keeps on its first pass (32), some empty.
  std::string line = "2024-01-15 10:30:45.123 [UPDATE=C1, CAR1]";
  std::vector<std::string> want = {"_Action=UPDATE", "_CommandID=C1"};
  for (int i = 0; i < 80; ++i) {
    const bool empty = i % 7 == 3;
    line += " [K" + std::to_string(i) + "=" + (empty ? "None" : std::to_string(i * 3)) + "],";
    if (!empty) want.push_back("K" + std::to_string(i) + "=" + std::to_string(i * 3));
  }
  EXPECT_EQ(Pairs(Good(line), Ts("2024-01-15 10:30:45.123"), "CAR1"), want);
  // A bad group far down the line still makes the whole line an error.
  EXPECT_EQ(Error(line + " [bad]"), reason::kNoMatchMcs);
}

TEST(Mcs, TrailingCarriageReturnIgnored) {
  RecordingSink sink = Good("2024-01-15 10:30:47.345 [REMOVE=CMD001] [A=1]\r");
  EXPECT_EQ(Pairs(sink, Ts("2024-01-15 10:30:47.345"), "CMD001"),
            (std::vector<std::string>{"_Action=REMOVE", "A=1"}));
}

TEST(Mcs, BadLines) {
  for (const char* line : {
           "2024-01-15 10:30:47.345 [DELETE=CMD001]",
           "2024-01-15 10:30:47.345 [remove=CMD001]",
           "2024-01-15 10:30:47.345 [REMOVE CMD001]",
           "2024-01-15 10:30:47.345 [REMOVE=CMD001",
           "2024-01-15 10:30:47.345 REMOVE=CMD001",
           "2024-01-15 10:30:47.345",
           "2024-01-15 10:30:47.345 [ADD=C1, CAR1] [A=1] junk",
           "2024-01-15 10:30:47.345 [ADD=C1, CAR1] [A1]",
           "2024-01-15 10:30:47.345 [ADD=C1, CAR1] [=1]",
           "2024-01-15 10:30:47.345 [ADD=C1, CAR1] [A=1",
           "2025-09-22 13:00:00.199 [Debug] [A/DEV] [C:S] (int) : 1",
           "2025-10-21 23:08:27.995,B1ACNV13309-104@D19,B,62",
           "garbage",
       }) {
    EXPECT_EQ(Error(line), reason::kNoMatchMcs) << line;
  }
  EXPECT_EQ(Error("2024-01-15 25:30:47.345 [REMOVE=CMD001]"), reason::kBadTimestamp);
  EXPECT_EQ(Error("2024-01-15 10:30:47.345 [REMOVE=]"), reason::kNoDevice);
  EXPECT_EQ(Error("2024-01-15 10:30:47.345 [REMOVE= , ]"), reason::kNoDevice);
  // No command ID but a carrier: the carrier is the device.
  EXPECT_EQ(Pairs(Good("2024-01-15 10:30:47.345 [REMOVE= , CAR1]"), Ts("2024-01-15 10:30:47.345"),
                  "CAR1"),
            (std::vector<std::string>{"_Action=REMOVE"}));
}

}  // namespace
}  // namespace plcscope::ingest
