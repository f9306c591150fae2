#include "ingest/formats/detect.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plcscope::ingest {
namespace {

constexpr const char* kPlcDebug =
    "2025-09-22 13:00:00.199 [Debug] [SYSTEM/PATH/DEV-123] [INPUT2:I_MOVE_IN] (Boolean) : ON";
constexpr const char* kPlcTab =
    "2025-09-22 13:00:00.199 [] SYSTEM/PATH/DEV-456\tMY_SIGNAL\tIN\t123\t\tLOC\tF1\tF2\t"
    "2025-09-22 13:00:00.199";
constexpr const char* kMcs =
    "2025-12-05 00:00:35.404 [UPDATE=CMD123, CAR-789] [CarrierLoc=B1ACNV13301-120], [Priority=5]";
constexpr const char* kCsv = "2025-10-21 23:08:27.995,B1ACNV13309-104@D19,B,62";
constexpr const char* kJunk = "this line is in no format at all";

// `good` lines of `line`, then junk up to `total` lines.
std::vector<std::string> Mix(const char* line, int good, int total) {
  std::vector<std::string> out;
  for (int i = 0; i < total; ++i) out.emplace_back(i < good ? line : kJunk);
  return out;
}

base::Result<Format> Detect(const std::vector<std::string>& lines) {
  std::vector<std::string_view> views(lines.begin(), lines.end());
  return DetectFormat(views);
}

void ExpectFormat(const std::vector<std::string>& lines, Format want) {
  base::Result<Format> got = Detect(lines);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(*got, want) << FormatName(*got);
}

TEST(Detect, EachFormatFromItsSpecExamples) {
  ExpectFormat(
      {kPlcDebug, "2024-01-15 10:30:46.234 [DEBUG] [/PLC/Device2] [CAT:Signal2] (int) : 42",
       "2025-09-22 13:00:00.000 [Info] [SYSTEM/LINE1/DEV-101] [INPUT:Temperature] "
       "(Integer) : 41",
       "2024-01-15 10:30:45.123 [INFO] [/PLC/Device1] [CATEGORY:Temperature] (float) : "
       "23.5"},
      Format::kPlcDebug);
  ExpectFormat({kPlcTab,
                "2026-02-05 00:00:00.026 [] B1ACNV13301-596\tI_BUFFER_STATUS            \tIN      "
                "\t0\t\tCNV_202:7\tT\tT\t2026-02-05 00:00:00.026"},
               Format::kPlcTab);
  ExpectFormat({kMcs,
                "2024-01-15 10:30:45.123 [ADD=CMD001, CARR001] [TransferState=ACTIVE] "
                "[Priority=1]",
                "2024-01-15 10:30:47.345 [REMOVE=CMD001]"},
               Format::kMcs);
  ExpectFormat({kCsv, "2025-09-22 13:00:00.000,DEV-101,Temperature,41",
                "2024-01-15 10:30:45.123, Device1, Signal1, TRUE"},
               Format::kCsv);
}

TEST(Detect, SixtyPercentThreshold) {
  for (const char* line : {kPlcDebug, kPlcTab, kMcs, kCsv}) {
    EXPECT_TRUE(Detect(Mix(line, 6, 10)).ok()) << line;
    EXPECT_FALSE(Detect(Mix(line, 5, 10)).ok()) << line;
    EXPECT_TRUE(Detect(Mix(line, 3, 5)).ok()) << line;
    EXPECT_FALSE(Detect(Mix(line, 2, 5)).ok()) << line;
    EXPECT_TRUE(Detect(Mix(line, 1, 1)).ok()) << line;
  }
  ExpectFormat(Mix(kMcs, 6, 10), Format::kMcs);
}

TEST(Detect, OnlyTheFirstTenLinesCount) {
  std::vector<std::string> lines = Mix(kPlcTab, 5, 10);
  for (int i = 0; i < 10; ++i) lines.emplace_back(kPlcTab);
  EXPECT_FALSE(Detect(lines).ok());
}

TEST(Detect, OrderWinsWhenTwoFormatsQualify) {
  // 6 plc_debug + 4 csv: plc_debug reaches 60 % first.
  std::vector<std::string> lines = Mix(kPlcDebug, 6, 6);
  for (int i = 0; i < 4; ++i) lines.emplace_back(kCsv);
  ExpectFormat(lines, Format::kPlcDebug);
  // 4 plc_debug + 6 csv: csv.
  lines = Mix(kPlcDebug, 4, 4);
  for (int i = 0; i < 6; ++i) lines.emplace_back(kCsv);
  ExpectFormat(lines, Format::kCsv);
}

TEST(Detect, LinesWithBadDevicesStillShowTheFormat) {
  ExpectFormat({"2025-09-22 13:00:00.199 [Debug] [A/B/] [C:S] (int) : 1",
                "2025-09-22 13:00:00.199 [Debug] [A/B c] [C:S] (int) : 1"},
               Format::kPlcDebug);
}

TEST(Detect, CsvWithHeader) {
  std::vector<std::string> lines = {"timestamp,device,signal,value"};
  for (int i = 0; i < 9; ++i) lines.emplace_back(kCsv);
  ExpectFormat(lines, Format::kCsv);
  // A header and a single data line.
  ExpectFormat({"Timestamp, Device, Signal, Value", kCsv}, Format::kCsv);
  // Another first line that is not data, then data.
  ExpectFormat({"time,dev,sig,val", kCsv, kCsv}, Format::kCsv);
  // The header is not data: header, 5 data and 4 junk is 5/9.
  lines = {"timestamp,device,signal,value"};
  for (int i = 0; i < 5; ++i) lines.emplace_back(kCsv);
  for (int i = 0; i < 4; ++i) lines.emplace_back(kJunk);
  EXPECT_FALSE(Detect(lines).ok());
}

TEST(Detect, FailureNamesTheFormatsTried) {
  base::Result<Format> r = Detect(Mix(kJunk, 0, 10));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::StatusCode::kUnsupported);
  EXPECT_EQ(r.status().message(),
            "no known log format matches the first lines (tried plc_debug, plc_tab, mcs, csv)");
  base::Result<Format> empty = Detect({});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("tried plc_debug, plc_tab, mcs, csv"), std::string::npos);
}

TEST(Detect, HeaderLines) {
  const std::optional<std::string_view> data = kCsv;
  EXPECT_TRUE(IsHeaderLine(Format::kCsv, "timestamp,device,signal,value", data));
  EXPECT_TRUE(IsHeaderLine(Format::kCsv, "TIMESTAMP , Device,SIGNAL, value\r", data));
  EXPECT_TRUE(IsHeaderLine(Format::kCsv, "time,dev,sig,val", data));
  EXPECT_TRUE(IsHeaderLine(Format::kCsv, "\"Time\",\"Device\",\"Signal\",\"Value\"", data));
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, kCsv, data));
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, "\"2025-10-21 23:08:27.995\",D,S,1", data));
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, " 2025-10-21 23:08:27.995 ,D,S,1", data));
  for (Format f : {Format::kPlcDebug, Format::kPlcTab, Format::kMcs}) {
    EXPECT_FALSE(IsHeaderLine(f, "timestamp,device,signal,value", data));
  }
}

// Issue 17: a first field that starts like a date is a bad timestamp, not a
// header, even when it is out of range.
TEST(Detect, DateLikeFirstFieldIsNeverAHeader) {
  const std::optional<std::string_view> data = kCsv;
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, "2025-13-01 00:00:00.000,DEV-1,S,1", data));
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, "2025-02-30 00:00:00.000,DEV-1,S,1", data));
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, "\"2025-02-30 00:00:00.000\",DEV-1,S,1", data));
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, " 2025-09-22 25:00:00,DEV-1,S,1", data));
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, "2025-09-22 garbage,DEV-1,S,1", data));
}

// Issue 17: a line that is not data is a header only when data follows it.
TEST(Detect, HeaderOnlyBeforeData) {
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, "hello", std::string_view("world")));
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, "hello", std::nullopt));
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, "time,dev,sig,val", std::string_view("a,b,c,d")));
  EXPECT_FALSE(IsHeaderLine(Format::kCsv, "time,dev,sig,val", std::string_view("")));
  EXPECT_TRUE(IsHeaderLine(Format::kCsv, "hello", std::string_view(kCsv)));
  // Data with a bad timestamp, an empty device or signal is still data.
  EXPECT_TRUE(IsHeaderLine(Format::kCsv, "time,dev,sig,val",
                           std::string_view("2025-13-01 00:00:00.000,DEV-1,S,1")));
  EXPECT_TRUE(IsHeaderLine(Format::kCsv, "time,dev,sig,val",
                           std::string_view("2025-09-22 13:00:00.000,,S,1\r")));
  // The column names are a header whatever follows.
  EXPECT_TRUE(IsHeaderLine(Format::kCsv, "timestamp,device,signal,value", std::nullopt));
  EXPECT_TRUE(IsHeaderLine(Format::kCsv, "timestamp,device,signal,value", std::string_view("x")));
  EXPECT_TRUE(IsCsvDataLine(kCsv));
  EXPECT_FALSE(IsCsvDataLine("hello"));
  EXPECT_FALSE(IsCsvDataLine("time,dev,sig,val"));
}

// Detection counts a header the driver would skip as not data, and counts
// a line it would not skip.
TEST(Detect, CsvFirstLinesNotData) {
  std::vector<std::string> lines = {"hello", "world", "foo"};
  for (int i = 0; i < 6; ++i) lines.emplace_back(kCsv);
  ExpectFormat(lines, Format::kCsv);  // 6/9
  lines = {"hello", "world", "foo", "bar"};
  for (int i = 0; i < 5; ++i) lines.emplace_back(kCsv);
  EXPECT_FALSE(Detect(lines).ok());  // 5/9: hello is not a header before world
}

TEST(Detect, FormatNames) {
  for (int i = 0; i < kFormatCount; ++i) {
    Format f = static_cast<Format>(i);
    Format back;
    ASSERT_TRUE(ParseFormatName(FormatName(f), &back));
    EXPECT_EQ(back, f);
  }
  EXPECT_STREQ(FormatName(Format::kPlcDebug), "plc_debug");
  EXPECT_STREQ(FormatName(Format::kPlcTab), "plc_tab");
  EXPECT_STREQ(FormatName(Format::kMcs), "mcs");
  EXPECT_STREQ(FormatName(Format::kCsv), "csv");
  Format f = Format::kMcs;
  EXPECT_FALSE(ParseFormatName("PLC_DEBUG", &f));
  EXPECT_FALSE(ParseFormatName("", &f));
  EXPECT_FALSE(ParseFormatName("json", &f));
  EXPECT_EQ(f, Format::kMcs);
}

}  // namespace
}  // namespace plcscope::ingest
