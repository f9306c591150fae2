// Every compat shape and every query endpoint against a real server.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

using nlohmann::json;

constexpr int kLines = 400;  // 399 samples + 1 bad line

class ApiQueries : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"--chunk-cap", "50"});
    ASSERT_TRUE(server_->Start());
    auto cli = server_->Client();
    file_ = UploadRaw(*cli, "trace.log", MakePlcDebugLog(kLines));
    auto r = cli->Post("/api/parse", json{{"fileId", file_["id"]}}.dump(), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
    session_ = Json(r);
    parsed_ = WaitParsed(*cli, session_["id"]);
    ASSERT_EQ(parsed_["status"], "complete") << parsed_.dump();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  std::string Path(const std::string& tail) const {
    return "/api/parse/" + session_["id"].get<std::string>() + tail;
  }
  static ServerProcess* server_;
  static json file_, session_, parsed_;
};
ServerProcess* ApiQueries::server_ = nullptr;
json ApiQueries::file_, ApiQueries::session_, ApiQueries::parsed_;

void ExpectEntryShape(const json& e, bool merged = false) {
  ASSERT_TRUE(e.is_object()) << e.dump();
  EXPECT_TRUE(e["deviceId"].is_string());
  EXPECT_TRUE(e["signalName"].is_string());
  ASSERT_TRUE(e["timestamp"].is_string());
  EXPECT_TRUE(IsRfc3339Millis(e["timestamp"])) << e["timestamp"];
  ASSERT_TRUE(e["signalType"].is_string());
  const std::string t = e["signalType"];
  if (t == "boolean") EXPECT_TRUE(e["value"].is_boolean()) << e.dump();
  if (t == "integer" || t == "float") EXPECT_TRUE(e["value"].is_number()) << e.dump();
  if (t == "string") EXPECT_TRUE(e["value"].is_string()) << e.dump();
  if (e.contains("category")) {
    EXPECT_TRUE(e["category"].is_string());
    EXPECT_NE(e["category"], "");
  }
  EXPECT_EQ(e.contains("sourceId"), merged) << e.dump();
  for (auto& [k, v] : e.items()) {
    static const std::set<std::string> kKeys = {"deviceId",   "signalName", "timestamp", "value",
                                                "signalType", "category",   "sourceId"};
    EXPECT_TRUE(kKeys.count(k)) << "unexpected Entry field " << k;
  }
}

TEST_F(ApiQueries, HealthAndFileInfoShapes) {
  auto cli = server_->Client();
  json h = Json(cli->Get("/api/health"));
  EXPECT_EQ(h["status"], "ok");
  EXPECT_TRUE(h["version"].is_string());
  json spec = Json(cli->Get("/api/openapi.json"));
  EXPECT_EQ(spec["openapi"], "3.0.3");
  EXPECT_TRUE(spec["paths"].contains("/api/parse/{id}/entries"));
  EXPECT_TRUE(file_["id"].is_string());
  EXPECT_EQ(file_["name"], "trace.log");
  EXPECT_TRUE(file_["size"].is_number_unsigned());
  EXPECT_EQ(file_["size"].get<size_t>(), MakePlcDebugLog(kLines).size());
  EXPECT_TRUE(IsRfc3339Millis(file_["uploadedAt"]));
  EXPECT_TRUE(file_["status"].is_string());
  json info = Json(cli->Get("/api/files/" + file_["id"].get<std::string>()));
  EXPECT_EQ(info, file_);
  json recent = Json(cli->Get("/api/files/recent"));
  ASSERT_TRUE(recent.is_array());
  EXPECT_EQ(recent[0]["id"], file_["id"]);
}

TEST_F(ApiQueries, ParseSessionShape) {
  for (const json& s : {session_, parsed_}) {
    EXPECT_TRUE(s["id"].is_string());
    EXPECT_EQ(s["fileId"], file_["id"]);
    EXPECT_TRUE(s["status"].is_string());
    EXPECT_TRUE(s["progress"].is_number());
    EXPECT_TRUE(s["entryCount"].is_number());
    EXPECT_TRUE(s["signalCount"].is_number());
    EXPECT_TRUE(s["processingTimeMs"].is_number());
    EXPECT_TRUE(s["startTime"].is_number());
    EXPECT_TRUE(s["endTime"].is_number());
    EXPECT_TRUE(s["parserName"].is_string());
    EXPECT_TRUE(s["errors"].is_array());
  }
  EXPECT_EQ(parsed_["progress"], 100);
  EXPECT_EQ(parsed_["entryCount"], kLines - 1);
  EXPECT_EQ(parsed_["signalCount"], 12);  // 3 devices x 4 signals
  EXPECT_EQ(parsed_["parserName"], "plc_debug");
  EXPECT_DOUBLE_EQ(parsed_["startTime"].get<double>(), 1758546000000.0);
  EXPECT_DOUBLE_EQ(parsed_["endTime"].get<double>(), 1758546000000.0 + (kLines - 1) * 10);
  ASSERT_EQ(parsed_["errors"].size(), 1u);
  EXPECT_EQ(parsed_["errors"][0]["line"], 3);
  EXPECT_EQ(parsed_["errors"][0]["content"], "this line is not a log line");
  EXPECT_TRUE(parsed_["errors"][0]["reason"].is_string());
}

TEST_F(ApiQueries, EntriesPagesAndShape) {
  auto cli = server_->Client();
  json p = Json(cli->Get(Path("/entries?page=2&pageSize=50")));
  EXPECT_EQ(p["page"], 2);
  EXPECT_EQ(p["pageSize"], 50);
  EXPECT_EQ(p["total"], kLines - 1);
  ASSERT_EQ(p["entries"].size(), 50u);
  for (const auto& e : p["entries"]) ExpectEntryShape(e);
  EXPECT_EQ(p["entries"][0]["timestamp"], "2025-09-22T13:00:00.510Z");  // row 50 is line 52
  json big = Json(cli->Get(Path("/entries?pageSize=5000")));
  EXPECT_EQ(big["pageSize"], 1000);
  json past = Json(cli->Get(Path("/entries?page=999999")));
  EXPECT_TRUE(past["entries"].is_array());
  EXPECT_EQ(past["entries"].size(), 0u);
  json dflt = Json(cli->Get(Path("/entries")));
  EXPECT_EQ(dflt["page"], 1);
  EXPECT_EQ(dflt["pageSize"], 100);
}

TEST_F(ApiQueries, EntriesFiltersAndSorts) {
  auto cli = server_->Client();
  json t = Json(cli->Get(Path("/entries?type=boolean&pageSize=1000")));
  EXPECT_EQ(t["total"], 100);
  for (const auto& e : t["entries"]) EXPECT_EQ(e["signalType"], "boolean");
  json c = Json(cli->Get(Path("/entries?category=STATE,OUTPUT&pageSize=1000")));
  EXPECT_GT(c["total"].get<int>(), 0);
  for (const auto& e : c["entries"])
    EXPECT_TRUE(e["category"] == "STATE" || e["category"] == "OUTPUT");
  json s = Json(cli->Get(Path("/entries?search=manual")));
  EXPECT_GT(s["total"].get<int>(), 0);
  json cs = Json(cli->Get(Path("/entries?search=manual&caseSensitive=true")));
  EXPECT_EQ(cs["total"], 0);
  json re = Json(cli->Get(Path("/entries?search=^AUTO$&regex=true")));
  EXPECT_GT(re["total"].get<int>(), 0);
  json sig = Json(cli->Get(Path("/entries?signals=DEV-101::Temperature")));
  for (const auto& e : sig["entries"]) {
    EXPECT_EQ(e["deviceId"], "DEV-101");
    EXPECT_EQ(e["signalName"], "Temperature");
  }
  json dev = Json(cli->Get(Path("/entries?devices=B1ACNV13301-104&pageSize=1000")));
  EXPECT_EQ(dev["total"], 132);  // i % 3 == 2 for i < 400, minus the bad line 2
  json range = Json(cli->Get(Path("/entries?start=1758546000000&end=1758546000090")));
  EXPECT_EQ(range["total"], 9);  // rows at 0..90 ms, minus the bad line at 20 ms
  json ex = Json(cli->Get(Path("/entries?exclude=DEV-10&pageSize=1000")));
  for (const auto& e : ex["entries"]) EXPECT_EQ(e["deviceId"], "B1ACNV13301-104");
  json changed = Json(cli->Get(Path("/entries?changedOnly=true&pageSize=1000")));
  EXPECT_LT(changed["total"].get<int>(), kLines - 1);
  json sorted = Json(cli->Get(Path("/entries?sort=deviceId&order=desc&pageSize=1000")));
  ASSERT_EQ(sorted["entries"].size(), 399u);
  for (size_t i = 1; i < sorted["entries"].size(); ++i) {
    EXPECT_GE(sorted["entries"][i - 1]["deviceId"].get<std::string>(),
              sorted["entries"][i]["deviceId"].get<std::string>());
  }
  json bad = Json(cli->Get(Path("/entries?search=(&regex=true")));
  EXPECT_EQ(cli->Get(Path("/entries?search=(&regex=true"))->status, 400);
  EXPECT_TRUE(bad["error"].is_string());
}

TEST_F(ApiQueries, SignalsTypesCategoriesDevices) {
  auto cli = server_->Client();
  json sigs = Json(cli->Get(Path("/signals")));
  ASSERT_EQ(sigs.size(), 12u);
  EXPECT_TRUE(std::is_sorted(sigs.begin(), sigs.end()));
  EXPECT_EQ(sigs[0], "B1ACNV13301-104::I_MOVE_IN");
  json types = Json(cli->Get(Path("/signal-types")));
  EXPECT_EQ(types["DEV-101::I_MOVE_IN"], "boolean");
  EXPECT_EQ(types["DEV-101::Temperature"], "integer");
  EXPECT_EQ(types["DEV-101::Speed"], "float");
  EXPECT_EQ(types["DEV-101::Mode"], "string");
  json cats = Json(cli->Get(Path("/categories")));
  EXPECT_EQ(cats, json({"INPUT", "INPUT2", "OUTPUT", "STATE"}));
  json devs = Json(cli->Get(Path("/devices")));
  ASSERT_EQ(devs.size(), 3u);
  EXPECT_EQ(devs[0]["id"], "B1ACNV13301-104");
  EXPECT_EQ(devs[0]["path"], "B1.Belts.B1ACNV13301-104@D19");
  EXPECT_EQ(devs[0]["signalCount"], 4);
}

TEST_F(ApiQueries, AtTimeIndexOfTimeAndTimeTree) {
  auto cli = server_->Client();
  json at = Json(cli->Get(Path("/at-time?timestamp=1758546000055")));
  ASSERT_TRUE(at.is_array());
  EXPECT_EQ(at.size(), 5u);  // rows at 0, 10, 30, 40, 50 ms: five different signals
  for (const auto& e : at) ExpectEntryShape(e);
  json at2 = Json(cli->Get(Path("/at-time?ts=1758546000055&signals=Temperature")));
  for (const auto& e : at2) EXPECT_EQ(e["signalName"], "Temperature");
  EXPECT_EQ(cli->Get(Path("/at-time"))->status, 400);
  json idx = Json(cli->Get(Path("/index-of-time?ts=1758546000100")));
  EXPECT_EQ(idx["index"], 9);  // rows 0..90 ms minus the bad line
  json none = Json(cli->Get(Path("/index-of-time?timestamp=1958546000100")));
  EXPECT_EQ(none["index"], -1);
  json tree = Json(cli->Get(Path("/time-tree")));
  ASSERT_TRUE(tree.is_array());
  ASSERT_EQ(tree.size(), 1u);  // 4 seconds of data, one minute
  EXPECT_EQ(tree[0]["date"], "2025-09-22");
  EXPECT_EQ(tree[0]["hour"], 13);
  EXPECT_EQ(tree[0]["minute"], 0);
  EXPECT_DOUBLE_EQ(tree[0]["ts"].get<double>(), 1758546000000.0);
}

TEST_F(ApiQueries, ChunkBoundariesAndTruncation) {
  auto cli = server_->Client();
  auto r = cli->Post(Path("/chunk?start=1758546000000&end=1758546001000.5"),
                     json{{"signals", {"DEV-101::Temperature", "DEV-102::I_MOVE_IN"}}}.dump(),
                     "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_FALSE(r->has_header("X-Truncated"));
  json a = json::parse(r->body);
  ASSERT_TRUE(a.is_array());
  EXPECT_GT(a.size(), 0u);
  for (const auto& e : a) ExpectEntryShape(e);
  // All 399 rows exceed the cap of 50: truncated, flagged.
  r = cli->Post(Path("/chunk?start=0&end=1958546001000&signals=" +
                     std::string("DEV-101::Temperature,DEV-101::I_MOVE_IN,DEV-101::Speed,"
                                 "DEV-101::Mode,DEV-102::Mode,DEV-102::Speed")),
                "", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("X-Truncated"), "true");
  EXPECT_EQ(json::parse(r->body).size(), 50u);
  json b = Json(cli->Post(Path("/chunk-boundaries"),
                          json{{"signals", {"DEV-101::Temperature"}},
                               {"start", 1758546001000.0},
                               {"end", 1758546002000.0}}
                              .dump(),
                          "application/json"));
  ASSERT_TRUE(b["before"].is_object());
  ASSERT_TRUE(b["after"].is_object());
  ExpectEntryShape(b["before"]["DEV-101::Temperature"]);
  ExpectEntryShape(b["after"]["DEV-101::Temperature"]);
}

TEST_F(ApiQueries, WaveformTransitionsErrors) {
  auto cli = server_->Client();
  json w = Json(cli->Post(Path("/waveform"),
                          json{{"signals", {"DEV-101::Temperature", "DEV-102::I_MOVE_IN"}},
                               {"start", 1758546000000.0},
                               {"end", 1758546004000.0},
                               {"width", 100}}
                              .dump(),
                          "application/json"));
  ASSERT_EQ(w["signals"].size(), 2u);
  EXPECT_EQ(w["width"], 100);
  for (const auto& s : w["signals"]) {
    EXPECT_TRUE(s["key"].is_string());
    EXPECT_TRUE(s["mode"] == "changes" || s["mode"] == "columns");
    if (s["mode"] == "changes") {
      EXPECT_EQ(s["t"].size(), s["v"].size());
    } else {
      EXPECT_EQ(s["first"].size(), 100u);
    }
  }
  auto bad = cli->Post(Path("/waveform"), json{{"signals", {"x"}}, {"width", 0}}.dump(),
                       "application/json");
  EXPECT_EQ(bad->status, 400);
  json t = Json(cli->Post(
      Path("/transitions"),
      json{{"rules",
            {{{"name", "move"},
              {"type", "cycle"},
              {"start", {{"signal", "DEV-101::I_MOVE_IN"}, {"op", "equals"}, {"value", "true"}}}}}}}
          .dump(),
      "application/json"));
  ASSERT_TRUE(t.is_array());
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0]["name"], "move");
  EXPECT_TRUE(t[0]["intervals"]["start"].is_array());
  EXPECT_TRUE(t[0]["stats"]["count"].is_number());
  EXPECT_EQ(t[0]["intervals"]["device"].size(), t[0]["intervals"]["start"].size());
  // A bare name is one series per device: every device's I_MOVE_IN turns ON
  // every 240 ms, so every cycle is 240 ms long and names its device (pooled
  // across the three devices they were 80 ms apart).
  t = Json(cli->Post(
      Path("/transitions"),
      json{{"rules",
            {{{"name", "all"},
              {"type", "cycle"},
              {"start", {{"signal", "I_MOVE_IN"}, {"op", "equals"}, {"value", "true"}}}}}}}
          .dump(),
      "application/json"));
  ASSERT_TRUE(t.is_array()) << t;
  const json& iv = t[0]["intervals"];
  ASSERT_GT(iv["durationMs"].size(), 3u);
  ASSERT_EQ(iv["device"].size(), iv["durationMs"].size());
  std::set<std::string> devices;
  for (size_t i = 0; i < iv["durationMs"].size(); ++i) {
    EXPECT_DOUBLE_EQ(iv["durationMs"][i].get<double>(), 240) << i;
    devices.insert(iv["device"][i].get<std::string>());
  }
  EXPECT_EQ(devices.size(), 3u);
  json errs = Json(cli->Get(Path("/errors?page=1&pageSize=10")));
  EXPECT_EQ(errs["errorCount"], 1);
  ASSERT_EQ(errs["errors"].size(), 1u);
  EXPECT_EQ(errs["errors"][0]["line"], 3);
}

TEST_F(ApiQueries, StreamProgressAndExport) {
  auto cli = server_->Client();
  std::string sse;
  auto r = cli->Get(Path("/stream"), [&](const char* d, size_t n) {
    sse.append(d, n);
    return true;
  });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/event-stream");
  std::vector<json> events;
  for (size_t i = 0; (i = sse.find("data: ", i)) != std::string::npos; i += 6) {
    events.push_back(json::parse(sse.substr(i + 6, sse.find("\n\n", i) - i - 6)));
  }
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0]["entries"].size(), 399u);
  EXPECT_EQ(events.back()["done"], true);
  EXPECT_EQ(events.back()["total"], 399);
  EXPECT_EQ(events.back()["progress"], 100);

  std::string progress;
  r = cli->Get(Path("/progress"), [&](const char* d, size_t n) {
    progress.append(d, n);
    return true;
  });
  ASSERT_TRUE(r);
  ASSERT_NE(progress.find("data: "), std::string::npos);
  EXPECT_NE(progress.find("\"status\":\"complete\""), std::string::npos);

  auto csv = cli->Get(Path("/export?format=csv&type=integer"));
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_NE(csv->body.find("DEV-101"), std::string::npos);
  auto jsonl = cli->Get(Path("/export?format=jsonl&devices=DEV-101"));
  ASSERT_TRUE(jsonl);
  size_t lines = std::count(jsonl->body.begin(), jsonl->body.end(), '\n');
  EXPECT_EQ(lines, 134u);  // i % 3 == 0 for i < 400
  EXPECT_EQ(cli->Get(Path("/export?format=xml"))->status, 400);
}

TEST_F(ApiQueries, KeepaliveRenameDeleteAndMerge) {
  auto cli = server_->Client();
  json k = Json(cli->Post(Path("/keepalive"), "", "application/json"));
  EXPECT_EQ(k, json({{"status", "ok"}}));
  // A second file, merged with the first: entries carry sourceId.
  json f2 = UploadRaw(*cli, "second.log", MakePlcDebugLog(40, false));
  auto r = cli->Post("/api/parse", json{{"fileIds", {file_["id"], f2["id"]}}}.dump(),
                     "application/json");
  ASSERT_EQ(r->status, 202);
  json merged = WaitParsed(*cli, json::parse(r->body)["id"]);
  ASSERT_EQ(merged["status"], "complete");
  EXPECT_EQ(merged["fileIds"].size(), 2u);
  json page = Json(cli->Get("/api/parse/" + merged["id"].get<std::string>() + "/entries"));
  for (const auto& e : page["entries"]) ExpectEntryShape(e, true);
  // Parsing the same file again reopens the stored result at once.
  r = cli->Post("/api/parse", json{{"fileId", f2["id"]}}.dump(), "application/json");
  json again = WaitParsed(*cli, json::parse(r->body)["id"]);
  r = cli->Post("/api/parse", json{{"fileId", f2["id"]}}.dump(), "application/json");
  EXPECT_EQ(json::parse(r->body)["status"], "complete");
  // ... and says so: its processingTimeMs is the first parse's, not a new one.
  EXPECT_EQ(json::parse(r->body)["reopened"], true);
  EXPECT_EQ(merged["reopened"], false);
  // Rename, then delete: the file and its sessions go.
  json renamed = Json(cli->Put("/api/files/" + f2["id"].get<std::string>(),
                               json{{"name", "renamed.log"}}.dump(), "application/json"));
  EXPECT_EQ(renamed["name"], "renamed.log");
  EXPECT_EQ(cli->Delete("/api/files/" + f2["id"].get<std::string>())->status, 204);
  EXPECT_EQ(cli->Get("/api/files/" + f2["id"].get<std::string>())->status, 404);
  EXPECT_EQ(cli->Get("/api/parse/" + again["id"].get<std::string>() + "/status")->status, 404);
  // Delete a session.
  EXPECT_EQ(cli->Delete("/api/parse/" + merged["id"].get<std::string>())->status, 404);
}

}  // namespace
}  // namespace plcscope::apitest
