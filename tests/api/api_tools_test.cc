// The timing view's analyzer tools against a real server: condition search
// (compared with a brute-force evaluation of the log the test wrote) and the
// VCD export (read back by a small VCD reader written here and compared with
// the samples /chunk and /chunk-boundaries report).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>

#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

using nlohmann::json;

constexpr int64_t kT0 = 1758546000000;  // 2025-09-22 13:00:00.000 UTC, in ms
constexpr int kSamples = 3000;

struct Sample {
  int64_t ms;
  std::string signal;  // RUN, JAM, COUNT, SPEED, STATE (on DEV-101)
  std::string value;   // as the log writes it
};

std::vector<Sample> MakeSamples() {
  std::vector<Sample> out;
  uint64_t x = 12345;
  auto next = [&] {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(x >> 33);
  };
  int64_t ms = kT0;
  static const char* kNames[] = {"RUN", "JAM", "COUNT", "SPEED", "STATE"};
  static const char* kStates[] = {"IDLE", "RUNNING", "ERR: jam at 3", "WAIT"};
  for (int i = 0; i < kSamples; ++i) {
    if (next() % 4 != 0) ms += 1 + next() % 30;  // a quarter share an instant
    const std::string name = kNames[next() % 5];
    std::string v;
    if (name == "RUN" || name == "JAM") v = next() % 2 ? "ON" : "OFF";
    if (name == "COUNT") v = std::to_string(static_cast<int>(next() % 12) - 3);
    if (name == "SPEED") v = std::to_string(next() % 8) + ".25";
    if (name == "STATE") v = kStates[next() % 4];
    out.push_back({ms, name, v});
  }
  return out;
}

std::string LogOf(const std::vector<Sample>& samples) {
  std::string out;
  char buf[256];
  for (const Sample& s : samples) {
    const int64_t rel = s.ms - kT0;
    const int64_t sec = rel / 1000, msec = rel % 1000;
    const char* type = s.signal == "COUNT"   ? "Integer"
                       : s.signal == "SPEED" ? "float"
                       : s.signal == "STATE" ? "String"
                                             : "Boolean";
    std::snprintf(buf, sizeof buf,
                  "2025-09-22 13:%02d:%02d.%03d [Info] [SYSTEM/LINE1/DEV-101] [IO:%s] (%s) : %s\n",
                  static_cast<int>(sec / 60), static_cast<int>(sec % 60), static_cast<int>(msec),
                  s.signal.c_str(), type, s.value.c_str());
    out += buf;
  }
  // A second device with a RUN of its own (a bare RUN is ambiguous).
  out += "2025-09-22 13:00:00.000 [Info] [SYSTEM/LINE1/DEV-102] [IO:RUN] (Boolean) : ON\n";
  return out;
}

struct Interval {
  double start, end;
  bool open;
};

class ApiTools : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    samples_ = new std::vector<Sample>(MakeSamples());
    server_ = new ServerProcess({"--chunk-cap", "100000"});
    ASSERT_TRUE(server_->Start());
    auto cli = server_->Client();
    json file = UploadRaw(*cli, "tools.log", LogOf(*samples_));
    auto r = cli->Post("/api/parse", json{{"fileId", file["id"]}}.dump(), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
    session_ = Json(r)["id"];
    json parsed = WaitParsed(*cli, session_);
    ASSERT_EQ(parsed["status"], "complete") << parsed.dump();
    ASSERT_EQ(parsed["entryCount"], kSamples + 1);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete samples_;
  }
  static std::string Path(const std::string& tail) { return "/api/parse/" + session_ + tail; }

  // The brute force: values in force after each instant's last sample.
  static std::vector<Interval> Brute(
      const std::function<bool(const std::map<std::string, std::string>&)>& holds) {
    std::vector<Interval> out;
    std::map<std::string, std::string> v;
    bool on = false;
    double start = 0;
    const auto& s = *samples_;
    for (size_t i = 0; i < s.size(); ++i) {
      v[s[i].signal] = s[i].value;
      if (i + 1 < s.size() && s[i + 1].ms == s[i].ms) continue;
      const bool now = holds(v);
      if (now && !on) start = static_cast<double>(s[i].ms);
      if (!now && on) out.push_back({start, static_cast<double>(s[i].ms), false});
      on = now;
    }
    if (on) out.push_back({start, static_cast<double>(s.back().ms), true});
    return out;
  }

  static ServerProcess* server_;
  static std::string session_;
  static std::vector<Sample>* samples_;
};
ServerProcess* ApiTools::server_ = nullptr;
std::string ApiTools::session_;
std::vector<Sample>* ApiTools::samples_ = nullptr;

std::string Esc(const std::string& s) {
  std::string out;
  char buf[4];
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':') {
      out.push_back(static_cast<char>(c));
    } else {
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

TEST_F(ApiTools, ConditionSearchMatchesABruteForceOfTheLog) {
  auto cli = server_->Client();
  const std::string cond =
      "DEV-101::RUN = ON && DEV-101::JAM = OFF && (DEV-101::COUNT > 3 || DEV-101::STATE = "
      "\"ERR: jam at 3\")";
  const auto expected = Brute([](const std::map<std::string, std::string>& v) {
    auto get = [&](const char* k) {
      auto it = v.find(k);
      return it == v.end() ? std::string() : it->second;
    };
    const std::string count = get("COUNT");
    return get("RUN") == "ON" && get("JAM") == "OFF" &&
           ((!count.empty() && std::stoi(count) > 3) || get("STATE") == "ERR: jam at 3");
  });
  ASSERT_GT(expected.size(), 20u);
  // Walk forward with next from before the session, then back with prev.
  double at = static_cast<double>(kT0 - 1);
  for (size_t i = 0; i < expected.size(); ++i) {
    json r =
        Json(cli->Get(Path("/condition?condition=" + Esc(cond) + "&at=" + std::to_string(at))));
    ASSERT_EQ(r["count"], expected.size()) << r.dump();
    // `at` is the previous start: that interval is not before it.
    EXPECT_EQ(r["before"], i == 0 ? 0 : i - 1) << r.dump();
    ASSERT_TRUE(r["next"].is_object()) << i << " " << r.dump();
    EXPECT_EQ(r["next"]["start"], expected[i].start) << i;
    EXPECT_EQ(r["next"]["end"], expected[i].end) << i;
    EXPECT_EQ(r["next"]["open"], expected[i].open) << i;
    at = r["next"]["start"];
    if (i == 0) {
      EXPECT_EQ(r["signals"],
                json({"DEV-101::RUN", "DEV-101::JAM", "DEV-101::COUNT", "DEV-101::STATE"}));
      EXPECT_TRUE(r["prev"].is_null());
      EXPECT_TRUE(r["samplesRead"].get<uint64_t>() > 0);
      EXPECT_TRUE(r["elapsedMs"].is_number());
    }
    if (i == 5) break;
  }
  const Interval& last = expected.back();
  json r = Json(cli->Get(Path("/condition?condition=" + Esc(cond) +
                              "&at=" + std::to_string(static_cast<int64_t>(last.start) + 1) +
                              "&windowStart=" + std::to_string(kT0) + "&windowEnd=" +
                              std::to_string(kT0 + 100000000) + "&windowLimit=10000")));
  EXPECT_EQ(r["prev"]["start"], last.start);
  EXPECT_TRUE(r["next"].is_null());
  EXPECT_EQ(r["current"]["start"], last.start);
  ASSERT_EQ(r["window"].size(), expected.size());
  EXPECT_FALSE(r["windowTruncated"]);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r["window"][i]["start"], expected[i].start);
    EXPECT_EQ(r["window"][i]["end"], expected[i].end);
  }
  // Same instants, different condition: negation and numbers.
  const auto not_run = Brute([](const std::map<std::string, std::string>& v) {
    auto it = v.find("SPEED");
    return !(v.count("RUN") && v.at("RUN") == "ON") && it != v.end() && std::stod(it->second) >= 4;
  });
  r = Json(cli->Get(
      Path("/condition?condition=" + Esc("!(DEV-101::RUN = true) AND DEV-101::SPEED >= 4"))));
  EXPECT_EQ(r["count"], not_run.size());
}

TEST_F(ApiTools, ConditionErrorsAre400NamingTheProblem) {
  auto cli = server_->Client();
  auto expect400 = [&](const std::string& query, const std::string& part) {
    auto r = cli->Get(Path("/condition?" + query));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << query << " " << r->body;
    json j = json::parse(r->body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r->body;
    EXPECT_NE(j["error"].get<std::string>().find(part), std::string::npos) << j.dump();
  };
  expect400("", "'condition'");
  expect400("condition=" + Esc("DEV-101::RUN = "),
            "Parameter 'condition' at column 16: expected a value but the text ended");
  expect400("condition=" + Esc("DEV-101::RUN = ON &&& X = 1"), "at column");
  expect400("condition=" + Esc("NOPE::X = 1"), "unknown signal 'NOPE::X'");
  expect400("condition=" + Esc("RUN = ON"), "on 2 devices");
  expect400("condition=" + Esc("DEV-101::COUNT > many"), "is not a number");
  expect400("condition=" + Esc("DEV-101::RUN = ON") + "&at=soon", "'at'");
  expect400("condition=" + Esc("DEV-101::RUN = ON") + "&windowStart=5", "'windowEnd'");
  expect400("condition=" + Esc("DEV-101::RUN = ON") + "&windowStart=5&windowEnd=1", "windowEnd");
  expect400(
      "condition=" + Esc("DEV-101::RUN = ON") + "&windowStart=1&windowEnd=5&windowLimit=99999",
      "windowLimit");
  expect400("condition=" + std::string(5000, '('), "longer than 4096");
  std::string many;
  for (int i = 0; i < 40; ++i) many += (i ? " || " : "") + std::string("DEV-101::RUN = ON");
  expect400("condition=" + Esc(many), "more than 32 terms");
  auto r = cli->Get("/api/parse/nope/condition?condition=A%3D1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
}

// ---------------------------------------------------------------- VCD reader

struct VcdVar {
  std::string type, scope, name;
  int width = 0;
};
struct VcdFile {
  int64_t unit_ns = 0;
  int64_t start_ns = 0;
  std::map<std::string, VcdVar> vars;  // by id
  // id -> (time in ns since the epoch, value text: "0"/"1"/"x", a decimal
  // integer, a real's text, or the unescaped string)
  std::map<std::string, std::vector<std::pair<int64_t, std::string>>> changes;
};

std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() + 0 && s[i + 1] == 'x') {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16)));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// A reader of the VCD subset GTKWave and Surfer read: declarations, then
// #time, scalar (0/1/x + id), vector (b... id), real (r... id), string (s... id).
VcdFile ReadVcd(const std::string& text) {
  VcdFile f;
  std::istringstream in(text);
  std::string tok;
  std::vector<std::string> scopes;
  int64_t now = 0;
  bool defs = true;
  while (in >> tok) {
    if (defs) {
      if (tok == "$timescale") {
        std::string n, u, end;
        in >> n >> u >> end;
        EXPECT_EQ(n, "1");
        f.unit_ns = u == "ns" ? 1 : u == "us" ? 1000 : 0;
      } else if (tok == "$comment") {
        std::string w;
        while (in >> w && w != "$end") {
          if (w.rfind("start_ns=", 0) == 0) f.start_ns = std::stoll(w.substr(9));
        }
      } else if (tok == "$scope") {
        std::string kind, name, end;
        in >> kind >> name >> end;
        scopes.push_back(name);
      } else if (tok == "$upscope") {
        std::string end;
        in >> end;
        scopes.pop_back();
      } else if (tok == "$var") {
        VcdVar v;
        std::string id, end;
        in >> v.type >> v.width >> id >> v.name >> end;
        EXPECT_EQ(end, "$end");
        v.scope = scopes.empty() ? "" : scopes.back();
        f.vars[id] = v;
      } else if (tok == "$enddefinitions") {
        in >> tok;
        defs = false;
      } else if (tok == "$date" || tok == "$version") {
        while (in >> tok && tok != "$end") {
        }
      }
      continue;
    }
    if (tok == "$dumpvars" || tok == "$end") continue;
    const int64_t t = f.start_ns + now * f.unit_ns;
    if (tok[0] == '#') {
      now = std::stoll(tok.substr(1));
      continue;
    }
    if (tok[0] == '0' || tok[0] == '1' || tok[0] == 'x') {
      f.changes[tok.substr(1)].emplace_back(t, tok.substr(0, 1));
      continue;
    }
    std::string id;
    in >> id;
    EXPECT_TRUE(f.vars.count(id)) << "undeclared id " << id;
    if (tok[0] == 'b') {
      const std::string bits = tok.substr(1);
      if (bits == "x") {
        f.changes[id].emplace_back(t, "x");
        continue;
      }
      uint64_t u = 0;
      for (char c : bits) u = (u << 1) | (c == '1');
      f.changes[id].emplace_back(t, std::to_string(static_cast<int64_t>(u)));
    } else if (tok[0] == 'r') {
      f.changes[id].emplace_back(t, tok.substr(1));
    } else if (tok[0] == 's') {
      f.changes[id].emplace_back(t, Unescape(tok.substr(1)));
    } else {
      ADD_FAILURE() << "unknown record " << tok;
    }
  }
  return f;
}

// The value of an Entry as the VCD writes it.
std::string VcdValueOf(const json& e) {
  const json& v = e["value"];
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) {
    std::ostringstream s;
    s << v.get<double>();
    return s.str();
  }
  return v.get<std::string>();
}

TEST_F(ApiTools, VcdExportReadsBackAsTheSignalsSamples) {
  auto cli = server_->Client();
  const std::vector<std::string> keys = {"DEV-101::RUN", "DEV-101::COUNT", "DEV-101::SPEED",
                                         "DEV-101::STATE", "DEV-102::RUN"};
  const int64_t start = kT0 + 5000, end = kT0 + 30000;
  std::string list;
  for (const auto& k : keys) list += (list.empty() ? "" : ",") + k;
  auto r = cli->Get(Path("/export.vcd?signals=" + Esc(list) + "&start=" + std::to_string(start) +
                         "&end=" + std::to_string(end)));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type").rfind("text/x-vcd", 0), 0u);
  const VcdFile f = ReadVcd(r->body);
  EXPECT_EQ(f.unit_ns, 1000);  // every time is a whole ms
  EXPECT_EQ(f.start_ns, start * 1000000);
  ASSERT_EQ(f.vars.size(), keys.size());

  // What the server's own sample endpoints say, turned into value changes.
  json chunk =
      Json(cli->Post(Path("/chunk?start=" + std::to_string(start) + "&end=" + std::to_string(end)),
                     json{{"signals", keys}}.dump(), "application/json"));
  json before = Json(cli->Post(Path("/chunk-boundaries"),
                               json{{"signals", keys}, {"start", start}, {"end", end}}.dump(),
                               "application/json"))["before"];
  for (const auto& [id, var] : f.vars) {
    const std::string key = var.scope + "::" + var.name;
    SCOPED_TRACE(key);
    ASSERT_TRUE(std::find(keys.begin(), keys.end(), key) != keys.end());
    std::vector<std::pair<int64_t, std::string>> want;
    // The value in force at start (a sample exactly at start counts), or x.
    std::string initial;
    int64_t initial_t = -1;
    if (before.contains(key)) initial = VcdValueOf(before[key]);
    std::vector<std::pair<int64_t, std::string>> in_range;
    for (const auto& e : chunk) {
      if (e["deviceId"].get<std::string>() + "::" + e["signalName"].get<std::string>() != key)
        continue;
      // timestamp is RFC 3339 with ms; recover ms from the fixed form.
      const std::string ts = e["timestamp"];
      const int64_t ms = kT0 +
                         (std::stoll(ts.substr(14, 2)) * 60 + std::stoll(ts.substr(17, 2))) * 1000 +
                         std::stoll(ts.substr(20, 3));
      if (ms == start) {
        initial = VcdValueOf(e);
        initial_t = ms;
        continue;
      }
      in_range.emplace_back(ms * 1000000, VcdValueOf(e));
    }
    (void)initial_t;
    if (!initial.empty() || var.type == "wire" || var.type == "integer") {
      want.emplace_back(start * 1000000, initial.empty() ? "x" : initial);
    }
    for (size_t i = 0; i < in_range.size(); ++i) {
      if (i + 1 < in_range.size() && in_range[i + 1].first == in_range[i].first) continue;
      if (!want.empty() && want.back().second == in_range[i].second) continue;
      want.push_back(in_range[i]);
    }
    const auto it = f.changes.find(id);
    const auto got =
        it == f.changes.end() ? std::vector<std::pair<int64_t, std::string>>{} : it->second;
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].first, want[i].first) << i;
      if (var.type == "real") {
        EXPECT_DOUBLE_EQ(std::stod(got[i].second), std::stod(want[i].second)) << i;
      } else {
        EXPECT_EQ(got[i].second, want[i].second) << i;
      }
    }
    if (key == "DEV-101::STATE") EXPECT_EQ(var.type, "string");
    if (key == "DEV-101::COUNT") EXPECT_EQ(var.type, "integer");
    if (key == "DEV-101::SPEED") EXPECT_EQ(var.type, "real");
    if (key == "DEV-101::RUN") EXPECT_EQ(var.type, "wire");
  }
  // Bad input: 400 naming the parameter.
  for (const auto& [q, part] : std::vector<std::pair<std::string, std::string>>{
           {"", "'signals'"},
           {"signals=NOPE::X", "unknown signal 'NOPE::X'"},
           {"signals=DEV-101::RUN&start=10&end=5", "'end'"},
           {"signals=DEV-101::RUN&start=x", "'start'"},
           {"signals=DEV-101::RUN&timescale=1ps", "'timescale'"}}) {
    auto e = cli->Get(Path("/export.vcd?" + q));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->status, 400) << q;
    EXPECT_NE(e->body.find(part), std::string::npos) << q << " " << e->body;
  }
}

}  // namespace
}  // namespace plcscope::apitest
