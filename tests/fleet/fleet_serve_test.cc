// `plcscope serve --clickhouse` against the real two-shard cluster of the
// ctest fixture: files pushed with `plcscope push` are listed with their
// figures, a signal searched across them gives exactly the samples of the
// local sessions, the cycle times per device are those of local cycle rules,
// and a cluster that cannot be reached is a 502 naming the node while local
// sessions keep working.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "src/base/time_util.h"
#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

using nlohmann::json;

std::string ClusterUrls() {
  std::ifstream in(PLCSCOPE_CLUSTER_DIR "/urls");
  std::string urls;
  std::getline(in, urls);
  return urls;
}

// `plcscope push` as an operator runs it; its --json line for the file.
json Push(const std::string& file, const std::string& db) {
  const std::string out = WriteTempFile("push.out", "");
  const std::string cmd = std::string(PLCSCOPE_BIN) + " push '" + file + "' --clickhouse " +
                          ClusterUrls() + " --cluster plcscope_test --database " + db +
                          " --data-dir '" + out + ".data' --json > '" + out + "' 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(out);
  std::string line;
  std::getline(in, line);
  return json::parse(line, nullptr, false);
}

TEST(FleetServe, ListsThePushedFilesAndSearchesAcrossThem) {
  const std::string db = "t_serve";
  const std::string a = WriteTempFile("line_a.log", MakePlcDebugLog(400, false));
  const std::string b = WriteTempFile("line_b.log", MakePlcDebugLog(300, false));
  json pa = Push(a, db), pb = Push(b, db);
  ASSERT_TRUE(pa.is_object()) << pa;
  ASSERT_TRUE(pb.is_object()) << pb;
  ServerProcess server({"--clickhouse", ClusterUrls(), "--clickhouse-database", db, a, b});
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  const json files = Json(cli->Get("/api/fleet/files"));
  ASSERT_EQ(files["database"], db);
  std::map<std::string, json> by_name;
  for (const json& f : files["files"]) by_name[f["name"]] = f;
  // A file pushed by a test before (same content) may be there too; these two must be.
  ASSERT_TRUE(by_name.count("line_a.log") && by_name.count("line_b.log")) << files;
  EXPECT_EQ(by_name["line_a.log"]["entryCount"], pa["rows"]);
  EXPECT_EQ(by_name["line_b.log"]["entryCount"], pb["rows"]);
  EXPECT_EQ(by_name["line_a.log"]["id"], pa["hash"]);

  // The same signal through the local sessions (one per file) and the fleet.
  const json health = Json(cli->Get("/api/health"));
  EXPECT_EQ(health["fleet"]["database"], db) << health;  // the UI offers its Fleet view
  const std::string sid = health["startupSessionId"];
  ASSERT_EQ(WaitParsed(*cli, sid)["status"], "complete");
  const json some = Json(cli->Get("/api/parse/" + sid + "/entries?page=1&pageSize=1"));
  ASSERT_FALSE(some["entries"].empty());
  const std::string signal = some["entries"][0]["signalName"];
  const std::string device = some["entries"][0]["deviceId"];
  const json local = Json(
      cli->Get("/api/parse/" + sid + "/entries?pageSize=1000&signals=" + device + "::" + signal));
  const json found =
      Json(cli->Get("/api/fleet/search?limit=10000&signal=" + device + "::" + signal));
  ASSERT_TRUE(found["hits"].is_array()) << found;
  EXPECT_EQ(found["truncated"], false);
  // The startup session merges both files; the fleet holds them apart
  // (cross-file duplicates within the dedup window are dropped locally).
  // (The entries carry typed values and RFC 3339 times, the hits the text as
  // written and milliseconds: times and types are compared.)
  std::multiset<std::pair<std::string, std::string>> want, got;
  for (const json& e : local["entries"]) {
    want.emplace(e["timestamp"].get<std::string>(), e["signalType"].get<std::string>());
  }
  for (const json& h : found["hits"]) {
    EXPECT_EQ(h["deviceId"], device);
    EXPECT_EQ(h["signalName"], signal);
    got.emplace(base::FormatRfc3339Millis(base::MillisToNanos(h["timestamp"].get<double>())),
                h["signalType"].get<std::string>());
  }
  ASSERT_FALSE(want.empty());
  for (const auto& w : want) EXPECT_TRUE(got.count(w)) << w.first << " " << w.second;
  EXPECT_GE(got.size(), want.size());
  // One value, and a limit that truncates.
  const std::string value = found["hits"][0]["value"];
  const json one = Json(cli->Get("/api/fleet/search?signal=" + device + "::" + signal + "&value=" +
                                 httplib::detail::encode_query_param(value) + "&limit=1"));
  ASSERT_EQ(one["hits"].size(), 1u);
  EXPECT_EQ(one["hits"][0]["value"], value);
  // Bad requests name the parameter.
  auto r = cli->Get("/api/fleet/search");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("signal"), std::string::npos);
  r = cli->Get("/api/fleet/search?signal=x&limit=0");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("limit"), std::string::npos);
}

// A realistic log from `plcscope gen` (booleans that toggle at irregular times on several devices).
std::string GeneratedLog(const std::string& name, int lines, int seed) {
  const std::string path = WriteTempFile(name, "");
  const std::string cmd = std::string(PLCSCOPE_BIN) + " gen --format plc_debug --lines " +
                          std::to_string(lines) + " --seed " + std::to_string(seed) + " -o '" +
                          path + "' > /dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return path;
}

TEST(FleetServe, CyclesPerDeviceAreThoseOfLocalCycleRules) {
  const std::string db = "t_cycles";
  const std::string log = GeneratedLog("cycles.log", 20000, 7);
  ASSERT_TRUE(Push(log, db).is_object());
  ServerProcess server({"--clickhouse", ClusterUrls(), "--clickhouse-database", db, log});
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  const std::string sid = Json(cli->Get("/api/health"))["startupSessionId"];
  ASSERT_EQ(WaitParsed(*cli, sid)["status"], "complete");
  // The boolean signal with the most ON samples on the first page's devices.
  const json page = Json(cli->Get("/api/parse/" + sid + "/entries?page=1&pageSize=2000"));
  std::map<std::string, int> ons;
  for (const json& e : page["entries"]) {
    if (e["signalType"] == "boolean" && e["value"] == true) ++ons[e["signalName"]];
  }
  ASSERT_FALSE(ons.empty()) << "no boolean signal on the first page";
  std::string signal;
  for (const auto& [name, n] : ons) {
    if (signal.empty() || n > ons[signal]) signal = name;
  }
  const json fleet = Json(
      cli->Get("/api/fleet/cycles?value=ON&signal=" + httplib::detail::encode_query_param(signal)));
  ASSERT_TRUE(fleet["devices"].is_array()) << fleet;
  ASSERT_FALSE(fleet["devices"].empty()) << fleet;
  uint64_t cycles = 0;
  for (const json& d : fleet["devices"]) {
    const std::string device = d["deviceId"];
    const json rule = {{"rules",
                        {{{"name", "c"},
                          {"type", "cycle"},
                          {"start", {{"signal", device + "::" + signal}, {"value", "ON"}}}}}}};
    const json local =
        Json(cli->Post("/api/parse/" + sid + "/transitions", rule.dump(), "application/json"));
    ASSERT_TRUE(local.is_array()) << local;
    const json& st = local[0]["stats"];
    SCOPED_TRACE(device);
    EXPECT_EQ(d["files"], 1);
    EXPECT_EQ(d["count"], st["count"]);
    EXPECT_NEAR(d["minMs"].get<double>(), st["minMs"].get<double>(), 1e-6);
    EXPECT_NEAR(d["maxMs"].get<double>(), st["maxMs"].get<double>(), 1e-6);
    EXPECT_NEAR(d["meanMs"].get<double>(), st["meanMs"].get<double>(), 1e-6);
    EXPECT_NEAR(d["stddevMs"].get<double>(), st["stddevMs"].get<double>(), 1e-3);
    EXPECT_GE(d["p50Ms"].get<double>(), d["minMs"].get<double>());
    EXPECT_LE(d["p50Ms"].get<double>(), d["p95Ms"].get<double>());
    EXPECT_LE(d["p95Ms"].get<double>(), d["maxMs"].get<double>());
    cycles += d["count"].get<uint64_t>();
  }
  EXPECT_GT(cycles, 0u);
  // A window keeps the cycles whose matches are inside it.
  const json first = Json(cli->Get("/api/fleet/cycles?value=ON&end=0&signal=" +
                                   httplib::detail::encode_query_param(signal)));
  EXPECT_TRUE(first["devices"].empty()) << first;
  auto r = cli->Get("/api/fleet/cycles?signal=x");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("value"), std::string::npos);
}

TEST(FleetServe, AnUnreachableClusterIsA502AndLocalSessionsWork) {
  const std::string log = WriteTempFile("local.log", MakePlcDebugLog(100, false));
  ServerProcess server({"--clickhouse", "http://127.0.0.1:1", log});
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  auto r = cli->Get("/api/fleet/files");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 502);
  const json e = json::parse(r->body);
  EXPECT_EQ(e["code"], "CLICKHOUSE_UNAVAILABLE") << e;
  EXPECT_NE(r->body.find("http://127.0.0.1:1"), std::string::npos) << r->body;
  const std::string sid = Json(cli->Get("/api/health"))["startupSessionId"];
  EXPECT_EQ(WaitParsed(*cli, sid)["status"], "complete");
}

TEST(FleetServe, WithoutAClusterTheRoutesSaySo) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  auto r = server.Client()->Get("/api/fleet/files");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(json::parse(r->body)["code"], "NO_FLEET");
  EXPECT_FALSE(Json(server.Client()->Get("/api/health")).contains("fleet"));
}

}  // namespace
}  // namespace plcscope::apitest
