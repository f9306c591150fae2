#include "ingest/formats/device_path.h"

#include <gtest/gtest.h>

#include <string>

namespace plcscope::ingest {
namespace {

std::string Device(std::string_view path) {
  const std::string_view d = DeviceFromPath(path);
  return d.empty() ? "<none>" : std::string(d);
}

TEST(DeviceFromPath, SpecExamples) {
  EXPECT_EQ(Device("SYSTEM/PATH/DEV-123"), "DEV-123");
  EXPECT_EQ(Device("SYSTEM/PATH/DEVICE-123@D19"), "DEVICE-123");
  EXPECT_EQ(Device("B1FCNV11301_PRE_AGING.Belts.B1FCNV11301-601@B70"), "B1FCNV11301-601");
  EXPECT_EQ(Device("B1ACNV13309-104@D19"), "B1ACNV13309-104");
  EXPECT_EQ(Device("/PLC/Line1/StationA"), "StationA");
  EXPECT_EQ(Device("AMHS/LINE1/DEV-101"), "DEV-101");
  EXPECT_EQ(Device("B1BCNV22905_PRE_AGING#6.B1BCNV22905_PRE_AGING#6.Belts.B1BCNV22905-121@B37"),
            "B1BCNV22905-121");
  EXPECT_EQ(Device("/PLC/Device2"), "Device2");
}

TEST(DeviceFromPath, EverySeparator) {
  EXPECT_EQ(Device("a/b"), "b");
  EXPECT_EQ(Device("a\\b"), "b");
  EXPECT_EQ(Device("a]b"), "b");
  EXPECT_EQ(Device("a.b"), "b");
  // The last separator wins, whichever it is.
  EXPECT_EQ(Device("x.y/z\\w]v"), "v");
  EXPECT_EQ(Device("x]y\\z/w.v"), "v");
}

TEST(DeviceFromPath, NoSeparatorIsTheWholeText) {
  EXPECT_EQ(Device("Device1"), "Device1");
  EXPECT_EQ(Device("a_B-9"), "a_B-9");
}

TEST(DeviceFromPath, CutAtFirstAt) {
  EXPECT_EQ(Device("DEV@X@Y"), "DEV");
  // After the cut, the rest is not checked.
  EXPECT_EQ(Device("DEV@ anything #!"), "DEV");
}

TEST(DeviceFromPath, Failures) {
  EXPECT_EQ(Device(""), "<none>");
  EXPECT_EQ(Device("SYSTEM/PATH/"), "<none>");
  EXPECT_EQ(Device("SYSTEM.PATH."), "<none>");
  EXPECT_EQ(Device("SYSTEM/@D19"), "<none>");
  EXPECT_EQ(Device("@D19"), "<none>");
  EXPECT_EQ(Device("SYSTEM/DEV 1"), "<none>");
  EXPECT_EQ(Device("SYSTEM/DEV#1"), "<none>");
  EXPECT_EQ(Device("SYSTEM/DÉV"), "<none>");
  EXPECT_EQ(Device("DEV:1"), "<none>");
  EXPECT_EQ(Device(std::string_view("DE\0V", 4)), "<none>");
}

TEST(DeviceFromPath, ResultPointsIntoThePath) {
  const std::string path = "A/B/C-1@X";
  const std::string_view d = DeviceFromPath(path);
  EXPECT_EQ(d.data(), path.data() + 4);
  EXPECT_EQ(d.size(), 3u);
}

TEST(DeviceFromPath, DeviceChars) {
  for (int c = 0; c < 256; ++c) {
    const bool expected = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '-';
    EXPECT_EQ(IsDeviceChar(static_cast<char>(c)), expected) << c;
  }
}

}  // namespace
}  // namespace plcscope::ingest
