// The old client against a real server (issue: "the old tool's own client
// works against plcscope"): one test per compat fix (chunk without signals,
// stageProgress, carrier-log entries, a POST without Content-Length, a label
// kept as written, floats as strings on request), and the compat contract:
// every operation that docs/openapi.json marks with "x-compat" (as served at
// /api/openapi.json) is replayed as the old client sends it (path, method,
// query, body) and the response fields that client reads are checked.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "base/base64.h"
#include "tests/api/server_process.h"

namespace plcscope::apitest {
namespace {

using nlohmann::json;
using ordered_json = nlohmann::ordered_json;

// 2025-09-22 13:00:00.000 UTC in ms: the first line of MakePlcDebugLog.
constexpr int64_t kT0 = 1758546000000;

const char* kMcsLog =
    "2025-09-22 13:00:01.000 [ADD=CMD001, CAR-1] [CurrentLocation=CNV1-101]\n"
    "2025-09-22 13:00:02.500 [UPDATE=CMD001, CAR-1] [CurrentLocation=L2-7]\n"
    "2025-09-22 13:00:03.000 [UPDATE=CMD002, CAR-2] [CurrentLocation=CNV1-102]\n"
    "2025-09-22 13:00:04.000 [REMOVE=CMD001, CAR-1]\n";

const char* kLayout =
    "<ConveyorMap version=\"1.0\"><Object name=\"Label_01\" type=\"X.Label\"><Text>BCR </Text>"
    "<UnitId>CNV1</UnitId></Object><Object name=\"Belt_01\" type=\"X.WidgetBelt\" "
    "unitId=\"CNV2\"/></ConveyorMap>";

const char* kRules =
    "default_color: \"#D3D3D3\"\n"
    "device_to_unit:\n  - {pattern: \"CNV1-*\", unit_id: \"CNV1\"}\n"
    "rules:\n  - {signal: I_ERROR, op: \"==\", value: true, color: \"#FF4444\", priority: 10}\n";

class ApiCompat : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"--chunk-cap", "10"});
    ASSERT_TRUE(server_->Start());
    auto cli = server_->Client();
    json file = UploadRaw(*cli, "compat.log", MakePlcDebugLog(200));
    json s = Json(cli->Post("/api/parse", json{{"fileId", file["id"]}}.dump(), "application/json"));
    session_ = new std::string(s["id"].get<std::string>());
    ASSERT_EQ(WaitParsed(*cli, *session_)["status"], "complete");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete session_;
    session_ = nullptr;
  }
  static std::string Path(const std::string& tail) { return "/api/parse/" + *session_ + tail; }

  static ServerProcess* server_;
  static std::string* session_;
};
ServerProcess* ApiCompat::server_ = nullptr;
std::string* ApiCompat::session_ = nullptr;

// Item 2: no signals means every entry of the window, capped like the others.
TEST_F(ApiCompat, ChunkWithoutSignalsIsEveryEntryOfTheWindow) {
  auto cli = server_->Client();
  // Lines are 10 ms apart: [t0+100, t0+150] holds lines 10..15.
  const std::string small =
      Path("/chunk?start=" + std::to_string(kT0 + 100) + "&end=" + std::to_string(kT0 + 150));
  for (const std::string& body :
       {std::string(), std::string("{}"), std::string(R"({"signals":[]})")}) {
    auto r = cli->Post(small, body, "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    json entries = json::parse(r->body);
    ASSERT_EQ(entries.size(), 6u) << "body '" << body << "': " << r->body;
    EXPECT_EQ(entries[0]["timestamp"], "2025-09-22T13:00:00.100Z");
    EXPECT_EQ(entries[5]["timestamp"], "2025-09-22T13:00:00.150Z");
    EXPECT_FALSE(r->has_header("X-Truncated"));
  }
  // 21 entries in [t0+100, t0+300]; the server's cap (--chunk-cap 10) cuts it.
  auto r = cli->Post(
      Path("/chunk?start=" + std::to_string(kT0 + 100) + "&end=" + std::to_string(kT0 + 300)), "",
      "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(r->body).size(), 10u);
  EXPECT_EQ(r->get_header_value("X-Truncated"), "true");
}

// Item 3: every upload-job event carries stageProgress.
TEST_F(ApiCompat, EveryUploadJobEventHasStageProgress) {
  auto cli = server_->Client();
  const std::string log = MakePlcDebugLog(500);
  const std::string packed = Compress(log);
  PostGzipChunks(*cli, "sp-1", packed, 2);
  if (HasFatalFailure()) return;
  json done = Json(cli->Post(
      "/api/files/upload/complete",
      json{{"uploadId", "sp-1"}, {"name", "sp.log"}, {"totalChunks", 2}, {"encoding", "gzip"}}
          .dump(),
      "application/json"));
  std::string sse;
  ASSERT_TRUE(cli->Get("/api/files/upload/" + done["jobId"].get<std::string>() + "/status",
                       [&](const char* d, size_t n) {
                         sse.append(d, n);
                         return true;
                       }));
  int events = 0;
  for (const json& e : SseEvents(sse)) {
    ++events;
    ASSERT_TRUE(e["stageProgress"].is_number()) << e;
    EXPECT_GE(e["stageProgress"].get<double>(), 0);
    EXPECT_LE(e["stageProgress"].get<double>(), 100);
    EXPECT_TRUE(e["stage"].is_string()) << e;
  }
  EXPECT_GT(events, 0);
}

// Item 4: carrier entries have ms timestamps; total counts the session.
TEST_F(ApiCompat, CarrierEntriesHaveMsTimestampsAndTheSessionTotal) {
  auto cli = server_->Client();
  httplib::Headers view = {{"X-View-Id", "carriers"}};
  auto r = cli->Post("/api/map/carrier-log", view,
                     json{{"name", "c.log"}, {"data", base::EncodeBase64(kMcsLog)}}.dump(),
                     "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string sid = json::parse(r->body)["sessionId"];
  ASSERT_EQ(WaitParsed(*cli, sid)["status"], "complete");
  json status;
  json entries;
  for (int i = 0; i < 100; ++i) {  // the store opens a moment after "complete"
    entries = Json(cli->Get("/api/map/carrier-log/entries", view));
    if (entries["entries"].size() > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  status = Json(cli->Get("/api/map/carrier-log", view));
  ASSERT_EQ(entries["entries"].size(), 3u) << entries;
  EXPECT_EQ(entries["entries"][0]["timestamp"], kT0 + 1000);
  EXPECT_EQ(entries["entries"][1]["timestamp"], kT0 + 2500);
  EXPECT_EQ(entries["entries"][0]["carrierId"], "CAR-1");
  EXPECT_EQ(entries["total"], status["entryCount"]);
  EXPECT_GT(entries["total"].get<int>(), 3);  // the session has more than the moves
  EXPECT_EQ(entries["count"], 3);
  // A page keeps the session's total.
  json page = Json(cli->Get("/api/map/carrier-log/entries?offset=1&limit=1", view));
  EXPECT_EQ(page["entries"].size(), 1u);
  EXPECT_EQ(page["total"], entries["total"]);
}

// Item 5: a POST without Content-Length (curl -X POST) has an empty body.
TEST_F(ApiCompat, PostWithoutContentLengthIsAnEmptyBody) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string req = "POST " + Path("/keepalive") +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\nConnection: "
                          "close\r\n\r\n";
  ASSERT_EQ(::send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
  std::string resp;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) resp.append(buf, n);
  ::close(fd);
  EXPECT_EQ(resp.rfind("HTTP/1.1 200", 0), 0u) << resp;
  EXPECT_NE(resp.find("\"status\""), std::string::npos) << resp;
}

// Item 6: a label's text is kept as written.
TEST_F(ApiCompat, LayoutTextIsKeptAsWritten) {
  auto cli = server_->Client();
  httplib::Headers view = {{"X-View-Id", "labels"}};
  auto r = cli->Post("/api/map/upload", view,
                     json{{"name", "bcr.xml"}, {"data", base::EncodeBase64(kLayout)}}.dump(),
                     "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json layout = Json(cli->Get("/api/map/layout", view));
  EXPECT_EQ(layout["objects"]["Label_01"]["text"], "BCR ") << layout;
}

// Item 7: floats stay floats; floats=string (or the header) reports them as
// strings, and type=string then selects them.
TEST_F(ApiCompat, FloatsAsStringsOnRequest) {
  auto cli = server_->Client();
  json types = Json(cli->Get(Path("/signal-types")));
  ASSERT_FALSE(types.empty());
  std::string speed;
  for (auto it = types.begin(); it != types.end(); ++it) {
    if (it.key().ends_with("::Speed")) speed = it.key();
  }
  ASSERT_FALSE(speed.empty()) << types;
  EXPECT_EQ(types[speed], "float");
  json compat = Json(cli->Get(Path("/signal-types?floats=string")));
  EXPECT_EQ(compat[speed], "string");
  for (auto it = compat.begin(); it != compat.end(); ++it) {
    EXPECT_NE(it.value(), "float") << it.key();
  }
  json by_header = Json(cli->Get(Path("/signal-types"), {{"X-Plcscope-Floats", "string"}}));
  EXPECT_EQ(by_header[speed], "string");

  const std::string q = "/entries?page=1&pageSize=1000&signals=" + speed;
  json numbers = Json(cli->Get(Path(q)));
  ASSERT_GT(numbers["entries"].size(), 0u);
  EXPECT_TRUE(numbers["entries"][0]["value"].is_number()) << numbers["entries"][0];
  EXPECT_EQ(numbers["entries"][0]["signalType"], "float");
  json strings = Json(cli->Get(Path(q + "&floats=string")));
  ASSERT_EQ(strings["entries"].size(), numbers["entries"].size());
  EXPECT_EQ(strings["entries"][0]["signalType"], "string");
  ASSERT_TRUE(strings["entries"][0]["value"].is_string()) << strings["entries"][0];
  EXPECT_EQ(std::stod(strings["entries"][0]["value"].get<std::string>()),
            numbers["entries"][0]["value"].get<double>());

  // The old client's type filter: "string" now includes the floats.
  json only_strings = Json(cli->Get(Path("/entries?page=1&pageSize=1000&type=string")));
  json with_floats =
      Json(cli->Get(Path("/entries?page=1&pageSize=1000&type=string&floats=string")));
  json only_floats = Json(cli->Get(Path("/entries?page=1&pageSize=1000&type=float")));
  EXPECT_GT(only_floats["total"].get<int>(), 0);
  EXPECT_EQ(with_floats["total"].get<int>(),
            only_strings["total"].get<int>() + only_floats["total"].get<int>());
  for (const json& e : with_floats["entries"]) EXPECT_EQ(e["signalType"], "string");

  // Chunks follow the same choice.
  json chunk = Json(cli->Post(Path("/chunk?floats=string"), json{{"signals", {speed}}}.dump(),
                              "application/json"));
  ASSERT_GT(chunk.size(), 0u);
  EXPECT_TRUE(chunk[0]["value"].is_string());
  auto bad = cli->Get(Path("/signal-types?floats=double"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("floats"), std::string::npos);
}

// ---------------------------------------------------------------------------
// The compat contract, derived from the "x-compat" marks of the OpenAPI
// document the server serves.

// Replaces every ${name} in `s`; a string that is exactly one ${name} of a
// non-string variable becomes that value.
ordered_json Substitute(const ordered_json& v, const json& vars) {
  if (v.is_object()) {
    ordered_json out = ordered_json::object();
    for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = Substitute(it.value(), vars);
    return out;
  }
  if (v.is_array()) {
    ordered_json out = ordered_json::array();
    for (const auto& e : v) out.push_back(Substitute(e, vars));
    return out;
  }
  if (!v.is_string()) return v;
  std::string s = v.get<std::string>();
  if (s.size() > 3 && s.rfind("${", 0) == 0 && s.find('}') == s.size() - 1) {
    const std::string name = s.substr(2, s.size() - 3);
    if (vars.contains(name) && !vars[name].is_string())
      return ordered_json::parse(vars[name].dump());
  }
  for (size_t i; (i = s.find("${")) != std::string::npos;) {
    const size_t end = s.find('}', i);
    if (end == std::string::npos) break;
    const std::string name = s.substr(i + 2, end - i - 2);
    EXPECT_TRUE(vars.contains(name)) << "x-compat uses an unknown variable ${" << name << "}";
    std::string value;
    if (vars.contains(name)) {
      value = vars[name].is_string() ? vars[name].get<std::string>() : vars[name].dump();
    }
    s.replace(i, end - i + 1, value);
  }
  return s;
}

bool HasType(const json& v, const std::string& types) {
  size_t start = 0;
  while (start <= types.size()) {
    size_t bar = types.find('|', start);
    const std::string t =
        types.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
    if (t == "any" || (t == "string" && v.is_string()) || (t == "number" && v.is_number()) ||
        (t == "integer" && v.is_number_integer()) || (t == "boolean" && v.is_boolean()) ||
        (t == "object" && v.is_object()) || (t == "array" && v.is_array()) ||
        (t == "array+" && v.is_array() && !v.empty())) {
      return true;
    }
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return false;
}

// Checks the field path `path` ("a.b", "a[].b", "[].a", "*", "a.*.b", ""
// for the body itself) of `v` against `types`; every element of an array or
// object on the way is checked.
void CheckField(const json& v, const std::string& path, const std::string& types,
                const std::string& where) {
  if (path.empty()) {
    EXPECT_TRUE(HasType(v, types))
        << where << ": " << v.dump().substr(0, 300) << " is not " << types;
    return;
  }
  std::string head = path, rest;
  const size_t dot = path.find('.');
  if (dot != std::string::npos) {
    head = path.substr(0, dot);
    rest = path.substr(dot + 1);
  }
  if (head.size() >= 2 && head.compare(head.size() - 2, 2, "[]") == 0) {
    const std::string key = head.substr(0, head.size() - 2);
    const json* arr = &v;
    if (!key.empty()) {
      ASSERT_TRUE(v.is_object() && v.contains(key)) << where << ": no field '" << key << "'";
      arr = &v[key];
    }
    ASSERT_TRUE(arr->is_array()) << where << ": '" << key << "' is not an array";
    for (const json& e : *arr) CheckField(e, rest, types, where + "/" + head);
    return;
  }
  if (head == "*") {
    ASSERT_TRUE(v.is_object()) << where << ": not an object";
    for (auto it = v.begin(); it != v.end(); ++it) {
      CheckField(it.value(), rest, types, where + "/" + it.key());
    }
    return;
  }
  ASSERT_TRUE(v.is_object() && v.contains(head))
      << where << ": no field '" << head << "' in " << v.dump().substr(0, 300);
  CheckField(v[head], rest, types, where + "." + head);
}

std::string QueryString(const ordered_json& query) {
  std::string out;
  for (auto it = query.begin(); it != query.end(); ++it) {
    out += out.empty() ? '?' : '&';
    out += it.key() + "=" +
           httplib::detail::encode_query_param(
               it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
  }
  return out;
}

TEST(ApiCompatContract, TheOldClientsRequestsGetTheFieldsItReads) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  auto cli = server.Client();
  auto doc_r = cli->Get("/api/openapi.json");
  ASSERT_TRUE(doc_r);
  ASSERT_EQ(doc_r->status, 200);
  const ordered_json doc = ordered_json::parse(doc_r->body);

  const std::string log = MakePlcDebugLog(200);
  json vars = {{"b64log", base::EncodeBase64(log)},
               {"logSize", log.size()},
               {"b64xml", base::EncodeBase64(kLayout)},
               {"b64yaml", base::EncodeBase64(kRules)},
               {"b64mcs", base::EncodeBase64(kMcsLog)},
               {"start", kT0 + 100},
               {"end", kT0 + 300},
               {"ts", kT0 + 150}};

  struct Op {
    std::string path, method;
    ordered_json x;
  };
  std::vector<Op> ops, deletes;
  for (auto p = doc["paths"].begin(); p != doc["paths"].end(); ++p) {
    for (auto m = p.value().begin(); m != p.value().end(); ++m) {
      if (!m.value().is_object() || !m.value().contains("x-compat")) continue;
      const ordered_json& x = m.value()["x-compat"];
      if (!x.is_object()) continue;  // marked compat, replayed elsewhere (WebSocket)
      (m.key() == "delete" ? deletes : ops).push_back({p.key(), m.key(), x});
    }
  }
  // The contract covers the old client's API module: at least these.
  ASSERT_GE(ops.size() + deletes.size(), 30u);
  ops.insert(ops.end(), deletes.begin(), deletes.end());  // deletions last

  for (const Op& op : ops) {
    const ordered_json x = Substitute(op.x, vars);
    std::string path = op.path;
    if (x.contains("pathParams")) {
      for (auto it = x["pathParams"].begin(); it != x["pathParams"].end(); ++it) {
        const std::string slot = "{" + it.key() + "}";
        path.replace(path.find(slot), slot.size(), it.value().get<std::string>());
      }
    }
    if (x.contains("query")) path += QueryString(x["query"]);
    const std::string where =
        op.method + " " + op.path + " (" + x.value("client", std::string("?")) + ")";
    SCOPED_TRACE(where);
    // The old client sends Content-Type: application/json on every request.
    httplib::Headers headers = {{"Content-Type", "application/json"}};
    const std::string body = x.contains("body") ? x["body"].dump() : "";
    std::string streamed;
    ASSERT_TRUE(op.method == "get" || op.method == "post" || op.method == "put" ||
                op.method == "delete")
        << "no replay for method " << op.method;
    httplib::Result r = [&] {
      if (op.method == "get" && x.contains("sse")) {
        return cli->Get(path, headers, [&](const char* d, size_t n) {
          streamed.append(d, n);
          return streamed.size() < (64u << 20);
        });
      }
      if (op.method == "get") return cli->Get(path, headers);
      if (op.method == "post") return cli->Post(path, headers, body, "application/json");
      if (op.method == "put") return cli->Put(path, headers, body, "application/json");
      return cli->Delete(path, headers);
    }();
    ASSERT_TRUE(r) << where << ": no response";
    const int want = x.value("status", 200);
    ASSERT_EQ(r->status, want) << where << ": " << r->body.substr(0, 500);
    if (x.contains("sse")) {
      EXPECT_EQ(r->get_header_value("Content-Type").rfind("text/event-stream", 0), 0u);
      int events = 0;
      for (size_t i = 0; (i = streamed.find("data: ", i)) != std::string::npos; i += 6) {
        const json e = json::parse(streamed.substr(i + 6, streamed.find("\n\n", i) - i - 6));
        ++events;
        for (auto f = x["sse"].begin(); f != x["sse"].end(); ++f) {
          CheckField(e, f.key(), f.value(), where);
        }
      }
      EXPECT_GT(events, 0) << where;
      continue;
    }
    json res = r->body.empty() ? json() : json::parse(r->body, nullptr, false);
    if (x.contains("reads")) {
      ASSERT_FALSE(res.is_discarded()) << where << ": not JSON: " << r->body.substr(0, 300);
      for (auto f = x["reads"].begin(); f != x["reads"].end(); ++f) {
        CheckField(res, f.key(), f.value(), where);
      }
    }
    if (x.contains("capture")) {
      for (auto c = x["capture"].begin(); c != x["capture"].end(); ++c) {
        ASSERT_TRUE(res.contains(c.value().get<std::string>())) << where;
        vars[c.key()] = res[c.value().get<std::string>()];
      }
    }
    if (x.contains("waitParsed")) {
      const std::string sid = vars[x["waitParsed"].get<std::string>()];
      ASSERT_EQ(WaitParsed(*cli, sid)["status"], "complete") << where;
      // The first signal of a parsed log session, for requests naming one.
      if (!vars.contains("signal")) {
        json signals = Json(cli->Get("/api/parse/" + sid + "/signals"));
        ASSERT_FALSE(signals.empty());
        vars["signal"] = signals[0];
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace
}  // namespace plcscope::apitest
