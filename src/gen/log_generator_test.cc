#include "gen/log_generator.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "base/mapped_file.h"
#include "base/time_util.h"
#include "gen/line_shapes_test.h"
#include "gen/output_writer.h"

namespace plcscope::gen {
namespace {

using testing::Lines;

std::string Generate(OutputFormat format, uint64_t lines, uint64_t seed,
                     GeneratorStats* stats = nullptr, double unsorted = 0) {
  GeneratorOptions o;
  o.format = format;
  o.lines = lines;
  o.seed = seed;
  o.unsorted_fraction = unsorted;
  std::string out;
  auto r = GenerateToString(o, &out);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (stats != nullptr && r.ok()) *stats = *r;
  return out;
}

int64_t Micros(std::string_view ts) {
  int64_t ns = 0;
  size_t used = 0;
  EXPECT_TRUE(base::ParseTimestamp(ts, &ns, &used)) << ts;
  return ns / 1000;
}

constexpr OutputFormat kAll[] = {OutputFormat::kPlcDebug, OutputFormat::kPlcTab, OutputFormat::kMcs,
                                 OutputFormat::kCsv};

TEST(LogGenerator, SameSeedSameBytesDifferentSeedDifferentBytes) {
  for (OutputFormat f : kAll) {
    std::string a = Generate(f, 20000, 42);
    std::string b = Generate(f, 20000, 42);
    std::string c = Generate(f, 20000, 43);
    EXPECT_EQ(a, b) << OutputFormatName(f);
    EXPECT_NE(a, c) << OutputFormatName(f);
    EXPECT_EQ(Lines(a).size(), 20000u) << OutputFormatName(f);
  }
}

TEST(LogGenerator, FileAndStringSinksGiveTheSameBytes) {
  // More than one 4 MiB buffer, so flushes happen mid-line-stream.
  GeneratorOptions o;
  o.lines = 60000;
  o.seed = 9;
  std::string s;
  ASSERT_TRUE(GenerateToString(o, &s).ok());
  std::string path = ::testing::TempDir() + "/gen_repro.log";
  auto st = GenerateToFile(o, path);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  auto file = base::ReadFileToString(path);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(*file, s);
  EXPECT_EQ(st->bytes, s.size());
  ::unlink(path.c_str());
}

TEST(LogGenerator, GzipDecompressesToThePlainBytes) {
  GeneratorOptions o;
  o.lines = 30000;
  o.seed = 5;
  o.format = OutputFormat::kMcs;
  std::string plain;
  ASSERT_TRUE(GenerateToString(o, &plain).ok());
  o.gzip = true;
  std::string path = ::testing::TempDir() + "/gen_test.mcs.gz";
  ASSERT_TRUE(GenerateToFile(o, path).ok());
  gzFile gz = gzopen(path.c_str(), "rb");
  ASSERT_NE(gz, nullptr);
  std::string unzipped;
  char buf[65536];
  int n;
  while ((n = gzread(gz, buf, sizeof(buf))) > 0) unzipped.append(buf, static_cast<size_t>(n));
  gzclose(gz);
  EXPECT_EQ(unzipped, plain);
  FILE* f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(std::fgetc(f), 0x1f);
  EXPECT_EQ(std::fgetc(f), 0x8b);
  std::fclose(f);
  ::unlink(path.c_str());
}

TEST(LogGenerator, UnwritableDirectoryIsAnIoError) {
  GeneratorOptions o;
  o.lines = 10;
  auto r = GenerateToFile(o, "/nonexistent-dir/x.log");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::StatusCode::kIoError);
}

TEST(OutputWriter, UnclosedFileIsDeletedClosedFileIsRenamed) {
  std::string path = ::testing::TempDir() + "/gen_unclosed.log";
  {
    auto w = OutputWriter::OpenFile(path, false);
    ASSERT_TRUE(w.ok());
    (*w)->Append(std::string(OutputWriter::kBufferSize + 10, 'x'));  // forces a hand-over
  }
  EXPECT_FALSE(base::ReadFileToString(path).ok());
  EXPECT_FALSE(base::ReadFileToString(path + ".tmp-gen").ok());
  auto w = OutputWriter::OpenFile(path, false);
  ASSERT_TRUE(w.ok());
  (*w)->Append("abc\n");
  EXPECT_TRUE(base::ReadFileToString(path + ".tmp-gen").ok());
  ASSERT_TRUE((*w)->Close().ok());
  EXPECT_EQ(*base::ReadFileToString(path), "abc\n");
  EXPECT_FALSE(base::ReadFileToString(path + ".tmp-gen").ok());
  ::unlink(path.c_str());
}

TEST(LogGenerator, BadOptionsAreRejected) {
  GeneratorOptions o;
  o.lines = 10;
  o.unsorted_fraction = 2;
  std::string out;
  EXPECT_FALSE(GenerateToString(o, &out).ok());
  o.unsorted_fraction = 0;
  o.devices = 1;
  EXPECT_FALSE(GenerateToString(o, &out).ok());
}

TEST(LogGenerator, PlcDebugLinesHaveTheirShapeTypeMixAndSize) {
  GeneratorStats stats;
  std::string text = Generate(OutputFormat::kPlcDebug, 100000, 1, &stats);
  std::map<std::string_view, uint64_t> dtypes;
  std::set<std::string_view> devices, names, categories;
  std::set<std::string> keys;
  int64_t prev = 0;
  uint64_t n = 0;
  for (std::string_view line : Lines(text)) {
    testing::DebugLine d;
    std::string why = testing::CheckPlcDebug(line, &d);
    ASSERT_EQ(why, "") << "line " << n + 1 << ": " << line;
    ++dtypes[d.dtype];
    std::string_view device = testing::DeviceFromPath(d.path);
    devices.insert(device);
    names.insert(d.signal);
    categories.insert(d.category);
    keys.insert(std::string(device) + "::" + std::string(d.signal));
    // Group-specific names sit on their kind of unit.
    if (d.signal.find("LIFT") != std::string_view::npos) {
      ASSERT_NE(d.path.find(".Lifters."), std::string_view::npos) << line;
    }
    if (d.signal.find("TURN") != std::string_view::npos) {
      ASSERT_NE(d.path.find(".Turntables."), std::string_view::npos) << line;
    }
    int64_t ts = Micros(d.ts);
    ASSERT_GE(ts, prev) << "out of order at line " << n + 1;
    prev = ts;
    ++n;
  }
  ASSERT_EQ(n, 100000u);
  double total = static_cast<double>(n);
  EXPECT_NEAR(dtypes["Boolean"] / total, 0.77, 0.02);
  EXPECT_NEAR(dtypes["Integer"] / total, 0.15, 0.02);
  EXPECT_NEAR(dtypes["String"] / total, 0.08, 0.02);
  EXPECT_EQ(dtypes["Boolean"], stats.boolean_samples);
  EXPECT_EQ(dtypes["Integer"], stats.integer_samples);
  EXPECT_EQ(dtypes["String"], stats.string_samples);
  double bytes_per_line = static_cast<double>(text.size()) / total;
  EXPECT_GT(bytes_per_line, 130);
  EXPECT_LT(bytes_per_line, 155);
  // The plant: ~320 devices, ~5,000 keys, ~160 names; most are seen in 100k lines.
  EXPECT_EQ(stats.devices, 320u);
  EXPECT_GT(stats.signal_keys, 4500u);
  EXPECT_LT(stats.signal_keys, 5600u);
  EXPECT_GT(stats.signal_names, 150u);
  EXPECT_LT(stats.signal_names, 170u);
  EXPECT_GT(devices.size(), 300u);
  EXPECT_GT(keys.size(), 3500u);
  EXPECT_GT(names.size(), 140u);
  EXPECT_TRUE(categories.count("INPUT") && categories.count("INPUT2") &&
              categories.count("OUTPUT"));
  // Both path styles of docs/targets.md are present.
  EXPECT_NE(text.find("#"), std::string::npos);
  EXPECT_NE(text.find("] [SYSTEM/LINE1/DEV-101] ["), std::string::npos);
  // 1.8 ms a line on average: 100k lines span ~180 s.
  EXPECT_NEAR(static_cast<double>(stats.last_us - stats.first_us) / 1e6, 180.0, 9.0);
}

TEST(LogGenerator, ValuesChangeStateOverTime) {
  std::string text = Generate(OutputFormat::kPlcDebug, 100000, 3);
  std::map<std::string, std::vector<std::string>> by_key;
  for (std::string_view line : Lines(text)) {
    testing::DebugLine d;
    ASSERT_EQ(testing::CheckPlcDebug(line, &d), "");
    by_key[std::string(d.path) + "|" + std::string(d.signal)].emplace_back(d.value);
  }
  uint64_t changes = 0, repeats = 0;
  for (const auto& [key, values] : by_key) {
    for (size_t i = 1; i < values.size(); ++i) (values[i] == values[i - 1] ? repeats : changes)++;
  }
  EXPECT_GT(changes, 5 * repeats);  // mostly changes, some repeated reports
  EXPECT_GT(repeats, 0u);
}

TEST(LogGenerator, LandmarksAreWhereTheStatsSay) {
  GeneratorStats stats;
  std::string text = Generate(OutputFormat::kPlcDebug, 100000, 11, &stats);
  std::vector<std::string_view> lines = Lines(text);
  ASSERT_FALSE(stats.landmarks.empty());
  for (const Landmark& m : stats.landmarks) {
    ASSERT_LE(m.line, lines.size());
    testing::DebugLine d;
    ASSERT_EQ(testing::CheckPlcDebug(lines[m.line - 1], &d), "");
    EXPECT_EQ(testing::DeviceFromPath(d.path), m.device);
    EXPECT_EQ(d.signal, m.signal);
    EXPECT_EQ(d.value, m.value);
    EXPECT_EQ(Micros(d.ts), m.ts_us);
  }
  // The once-changing signal: exactly two samples, OFF then ON.
  std::vector<std::string_view> once, pulse;
  for (std::string_view line : lines) {
    testing::DebugLine d;
    testing::CheckPlcDebug(line, &d);
    if (d.signal == "O_RECIPE_CHANGED") once.push_back(d.value);
    if (d.signal == "I_EMERGENCY_STOP") pulse.push_back(d.value);
  }
  EXPECT_EQ(once, (std::vector<std::string_view>{"OFF", "ON"}));
  // Five one-sample pulses: OFF, then (ON, OFF) x 5.
  ASSERT_EQ(pulse.size(), 11u);
  for (size_t i = 0; i < pulse.size(); ++i) EXPECT_EQ(pulse[i], i % 2 ? "ON" : "OFF") << i;
}

TEST(LogGenerator, PlcTabLinesHaveTheirShape) {
  std::string text = Generate(OutputFormat::kPlcTab, 30000, 1);
  uint64_t booleans = 0;
  for (std::string_view line : Lines(text)) {
    std::string_view device, signal, value;
    ASSERT_EQ(testing::CheckPlcTab(line, &device, &signal, &value), "") << line;
    if (value == "True" || value == "False") ++booleans;
  }
  EXPECT_NEAR(booleans / 30000.0, 0.77, 0.03);
}

TEST(LogGenerator, McsLinesHaveTheirShapeAndCarriersMoveAlongLines) {
  std::string text = Generate(OutputFormat::kMcs, 30000, 1);
  std::map<std::string_view, uint64_t> actions;
  std::map<std::string, std::string> last_location;  // carrier -> unit
  uint64_t moves = 0;
  for (std::string_view line : Lines(text)) {
    std::string_view action, device;
    ASSERT_EQ(testing::CheckMcs(line, &action, &device), "") << line;
    ++actions[action];
    for (std::string_view key : {"[CarrierLoc=", "[CarrierLocation="}) {
      size_t at = line.find(key);
      if (at == std::string_view::npos) continue;
      std::string_view loc = line.substr(at + key.size());
      loc = loc.substr(0, loc.find(']'));
      EXPECT_EQ(testing::DeviceFromPath(loc), loc);
      std::string& prev = last_location[std::string(device)];
      if (!prev.empty() && prev != loc) ++moves;
      prev = std::string(loc);
    }
  }
  EXPECT_GT(actions["ADD"], 500u);
  EXPECT_GT(actions["UPDATE"], 5 * actions["ADD"]);
  EXPECT_GT(actions["REMOVE"], actions["ADD"] / 2);
  EXPECT_GT(moves, 10000u);
  EXPECT_NE(text.find("[CarrierLocation="), std::string::npos);
  EXPECT_NE(text.find("=None]"), std::string::npos);
}

TEST(LogGenerator, CsvLinesHaveTheirShape) {
  std::string text = Generate(OutputFormat::kCsv, 30000, 1);
  std::vector<std::string_view> lines = Lines(text);
  ASSERT_EQ(lines.size(), 30000u);
  EXPECT_EQ(lines[0], "timestamp,device,signal,value");
  uint64_t quoted = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view device, signal;
    std::string value;
    ASSERT_EQ(testing::CheckCsv(lines[i], &device, &signal, &value), "") << lines[i];
    if (lines[i].back() == '"') {
      ++quoted;
      EXPECT_NE(value.find(','), std::string::npos);
    }
  }
  EXPECT_GT(quoted, 0u);
}

TEST(LogGenerator, UnsortedFractionPutsSomeLinesOutOfOrder) {
  std::string text = Generate(OutputFormat::kPlcDebug, 50000, 1, nullptr, 0.01);
  uint64_t backwards = 0;
  int64_t max_seen = 0;
  for (std::string_view line : Lines(text)) {
    int64_t ts = Micros(line.substr(0, 23));
    if (ts < max_seen) ++backwards;
    max_seen = std::max(max_seen, ts);
  }
  EXPECT_GT(backwards, 250u);
  EXPECT_LT(backwards, 1000u);
}

TEST(LogGenerator, DurationAndStartAreHonoured) {
  GeneratorOptions o;
  o.lines = 10000;
  o.duration_s = 3600;
  o.start_us = Micros("2026-02-05 00:00:00");
  std::string text;
  auto r = GenerateToString(o, &text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(text.substr(0, 20), "2026-02-05 00:00:00.");
  EXPECT_NEAR(static_cast<double>(r->last_us - r->first_us) / 1e6, 3600, 180);
}

}  // namespace
}  // namespace plcscope::gen
