// WebSocket uploads: GET /api/ws/uploads, the upload protocol of the old
// client (docs/http.md "WebSocket uploads"). Every message is a JSON text
// frame {"type", "id"?, "payload"?, "timestamp"}:
//   client: ping, pong, upload:init, upload:chunk (base64 data, in order),
//           upload:complete, map:upload, rules:upload, carrier:upload
//   server: connected, pong, ack (id = uploadId), progress, processing,
//           complete, error ({"message", "code", "status"})
// A chunked upload streams its decoded bytes straight into an UploadWriter
// (the HTTP uploads' size limit, disk reserve and content hash; gzip chunks
// decoded with the same Inflater), so nothing is assembled later and an
// upload that does not complete (a disconnect, an error) leaves no file: the
// writer removes its temporary file when the connection's state goes away.
// Map, rules and carrier uploads are dispatched to their HTTP routes.
// The handler runs on one transport worker per connection; the state below
// belongs to that connection only. The count of open connections is atomic.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/base64.h"
#include "base/hex_clock.h"
#include "base/json_writer.h"
#include "base/utf8.h"
#include "http/api.h"
#include "http/handler_util.h"
#include "http/params.h"
#include "http/upload_writer.h"
#include "http/websocket.h"

namespace plcscope::http {
namespace {

// Chunked uploads one connection may have open at once.
constexpr size_t kMaxUploadsPerConnection = 4;
// totalChunks beyond this is refused (5 MB chunks: 10 TB).
constexpr int64_t kMaxChunks = int64_t{1} << 21;

// One chunked upload between upload:init and upload:complete.
struct WsUpload {
  std::string name;
  int64_t total_chunks = 0;
  std::optional<uint64_t> total_size;  // announced size of the decoded file
  bool gzip = false;
  int64_t next_chunk = 0;
  uint64_t received_bytes = 0;  // bytes sent (compressed when gzip)
  std::unique_ptr<UploadWriter> writer;
  std::unique_ptr<Inflater> inflater;
};

int64_t NowMs() { return static_cast<int64_t>(base::NowNs() / 1000000); }

class Connection {
 public:
  Connection(Api& api, Request& req, WebSocket& ws) : api_(api), req_(req), ws_(ws) {}

  void Serve() {
    Send("connected", "", "");
    WebSocket::Message m;
    while (!api_.stopping() && ws_.ReadMessage(&m)) {
      if (!OnMessage(m)) return;
    }
  }

 private:
  // False: stop serving (the peer is gone).
  bool OnMessage(WebSocket::Message& m) {
    if (m.binary) {
      return SendError({400, "INVALID_MESSAGE",
                        "Binary frames are not part of this protocol; send JSON text messages "
                        "with base64 chunk data."},
                       "");
    }
    if (m.data.size() > api_.config().max_json_body_bytes) {
      return SendError(
          {413, "PAYLOAD_TOO_LARGE",
           "A message may be at most " + std::to_string(api_.config().max_json_body_bytes) +
               " bytes; send smaller chunks."},
          "");
    }
    Request body;
    body.body = std::move(m.data);
    nlohmann::json msg;
    ApiError err;
    if (!ParseJsonObject(body, &msg, &err)) return SendError(err, "");
    body.body.clear();
    std::string type;
    if (!JsonString(msg, "type", &type, &err)) return SendError(err, "");
    nlohmann::json empty = nlohmann::json::object();
    auto p = msg.find("payload");
    const nlohmann::json& payload = p != msg.end() && p->is_object() ? *p : empty;
    if (type == "ping") return Send("pong", "", "");
    if (type == "pong") return true;
    if (type == "upload:init") return Init(payload);
    if (type == "upload:chunk") return Chunk(payload);
    if (type == "upload:complete") return Complete(payload);
    if (type == "map:upload") return Forward(payload, "/api/map/upload", "map");
    if (type == "rules:upload") return Forward(payload, "/api/map/rules", "rules");
    if (type == "carrier:upload") return Forward(payload, "/api/map/carrier-log", "carrier");
    return SendError(
        {400, "INVALID_TYPE",
         "Unknown message type '" + base::RepairUtf8(base::Utf8Prefix(type, 64)) + "'."},
        "");
  }

  bool Init(const nlohmann::json& p) {
    ApiError err;
    std::string name = "upload", encoding = "none";
    int64_t total_chunks = -1, total_size = -1;
    if (!JsonString(p, "fileName", &name, &err) ||
        !JsonInt(p, "totalChunks", &total_chunks, &err) ||
        !JsonInt(p, "totalSize", &total_size, &err) ||
        !JsonString(p, "encoding", &encoding, &err)) {
      return SendError(err, "");
    }
    if (total_chunks < 0 || total_chunks > kMaxChunks) {
      return SendError(
          BadParameter("totalChunks", "is required, from 0 to " + std::to_string(kMaxChunks)), "");
    }
    if (encoding != "none" && encoding != "gzip" && !encoding.empty()) {
      return SendError(BadParameter("encoding", "must be none or gzip"), "");
    }
    if (uploads_.size() >= kMaxUploadsPerConnection) {
      return SendError({429, "TOO_MANY_UPLOADS",
                        "At most " + std::to_string(kMaxUploadsPerConnection) +
                            " uploads may be open on one connection; complete one first."},
                       "");
    }
    WsUpload u;
    u.name = name.empty() ? "upload" : name;
    u.total_chunks = total_chunks;
    if (total_size >= 0) u.total_size = static_cast<uint64_t>(total_size);
    u.gzip = encoding == "gzip";
    if (u.gzip) u.inflater = std::make_unique<Inflater>(Inflater::Format::kGzip);
    const ServerConfig& cfg = api_.config();
    u.writer = UploadWriter::Create(
        cfg.data_dir + "/tmp", {cfg.max_upload_bytes, cfg.disk_reserve_bytes}, u.total_size, &err);
    if (!u.writer) return SendError(err, "");
    const std::string id = NewId();
    uploads_.emplace(id, std::move(u));
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Field("uploadId", id).EndObject();
    return Send("ack", id, out);
  }

  // Drops the upload (its temporary file goes with its writer) and reports.
  bool Fail(const std::string& id, const ApiError& err) {
    uploads_.erase(id);
    return SendError(err, id);
  }

  bool Chunk(const nlohmann::json& p) {
    ApiError err;
    std::string id, data;
    int64_t index = -1;
    if (!JsonString(p, "uploadId", &id, &err) || !JsonInt(p, "chunkIndex", &index, &err) ||
        !JsonString(p, "data", &data, &err)) {
      return SendError(err, id);
    }
    auto it = uploads_.find(id);
    if (it == uploads_.end()) return SendError(NotFound(id), id);
    WsUpload& u = it->second;
    if (index != u.next_chunk || index >= u.total_chunks) {
      return Fail(id, {400, "INVALID_CHUNK",
                       "Chunk " + std::to_string(index) + " arrived where chunk " +
                           std::to_string(u.next_chunk) + " of " + std::to_string(u.total_chunks) +
                           " was expected (chunks are sent once each, in order); the upload "
                           "was dropped."});
    }
    std::string bytes;
    if (!base::DecodeBase64(data, &bytes)) return Fail(id, BadParameter("data", "must be base64"));
    data.clear();
    u.received_bytes += bytes.size();
    bool ok;
    if (u.inflater) {
      ok = u.inflater->Feed(bytes.data(), bytes.size(),
                            [&](const char* d, size_t n) { return u.writer->Write(d, n, &err); });
      if (!ok && err.code.empty()) {
        err = {400, "BAD_ENCODING",
               "The upload does not decode completely: " + u.inflater->error() +
                   "; nothing was stored."};
      }
    } else {
      ok = u.writer->Write(bytes.data(), bytes.size(), &err);
    }
    if (ok && u.total_size && u.writer->bytes() > *u.total_size) {
      ok = false;
      err = {400, "SIZE_MISMATCH",
             "The upload is larger than its totalSize (" + std::to_string(*u.total_size) +
                 " bytes); nothing was stored."};
    }
    if (!ok) return Fail(id, err);
    ++u.next_chunk;
    const double progress =
        100.0 * static_cast<double>(u.next_chunk) / static_cast<double>(u.total_chunks);
    return SendProgress(
        "progress", id, progress, "uploading",
        "Received chunk " + std::to_string(u.next_chunk) + "/" + std::to_string(u.total_chunks));
  }

  bool Complete(const nlohmann::json& p) {
    ApiError err;
    std::string id, name;
    int64_t total_chunks = -1, original = -1, compressed = -1;
    if (!JsonString(p, "uploadId", &id, &err) || !JsonString(p, "fileName", &name, &err) ||
        !JsonInt(p, "totalChunks", &total_chunks, &err) ||
        !JsonInt(p, "originalSize", &original, &err) ||
        !JsonInt(p, "compressedSize", &compressed, &err)) {
      return SendError(err, id);
    }
    auto it = uploads_.find(id);
    if (it == uploads_.end()) return SendError(NotFound(id), id);
    WsUpload& u = it->second;
    if (total_chunks >= 0 && total_chunks != u.total_chunks) {
      return Fail(id, {400, "INCOMPLETE_UPLOAD",
                       "upload:complete says " + std::to_string(total_chunks) +
                           " chunks but upload:init said " + std::to_string(u.total_chunks) +
                           "; the upload was dropped."});
    }
    if (u.next_chunk != u.total_chunks) {
      return Fail(id, {400, "INCOMPLETE_UPLOAD",
                       "Missing chunks: got " + std::to_string(u.next_chunk) + ", expected " +
                           std::to_string(u.total_chunks) + "; the upload was dropped."});
    }
    if (!SendProgress("processing", id, 0, "assembling", "Checking the upload...")) return false;
    if (u.inflater) {
      if (!u.inflater->Finish()) {
        return Fail(id, {400, "BAD_ENCODING",
                         "The upload does not decode completely: " + u.inflater->error() +
                             "; nothing was stored."});
      }
      if (!SendProgress("processing", id, 100, "decompressing", "Decompression complete")) {
        return false;
      }
    }
    const uint64_t size = u.writer->bytes();
    std::optional<uint64_t> want = u.total_size;
    if (original >= 0) want = static_cast<uint64_t>(original);
    if (want && *want != size) {
      return Fail(id, {400, "SIZE_MISMATCH",
                       "The upload decoded to " + std::to_string(size) + " bytes, not the " +
                           std::to_string(*want) + " announced; nothing was stored."});
    }
    if (u.gzip && compressed >= 0 && static_cast<uint64_t>(compressed) != u.received_bytes) {
      return Fail(id, {400, "SIZE_MISMATCH",
                       std::to_string(u.received_bytes) + " compressed bytes arrived, not the " +
                           std::to_string(compressed) + " announced; nothing was stored."});
    }
    if (!SendProgress("processing", id, 100, "assembling", "All chunks received") ||
        !SendProgress("processing", id, 0, "saving", "Saving to storage...")) {
      return false;
    }
    auto rec = u.writer->Commit(api_.files().files_dir(),
                                CleanDisplayName(name.empty() ? u.name : name), &err);
    uploads_.erase(it);
    if (!rec) return SendError(err, id);
    if (base::Status s = api_.files().Add(*rec); !s.ok()) {
      std::error_code ec;
      std::filesystem::remove(rec->path, ec);
      return SendError(FromStatus(s), id);
    }
    std::fprintf(stderr, "files: uploaded %s over WebSocket (%s, %llu bytes)\n", rec->id.c_str(),
                 rec->name.c_str(), static_cast<unsigned long long>(rec->size));
    if (!SendProgress("processing", id, 100, "saving", "Saved")) return false;
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Field("type", "complete").Field("uploadId", id).Key("fileInfo");
    WriteFileInfo(w, *rec);
    w.EndObject();
    return Send("complete", id, out);
  }

  // map:upload, rules:upload, carrier:upload: {"name", "data"} handed to
  // the HTTP route (same checks, same answers), its answer wrapped.
  bool Forward(const nlohmann::json& p, const char* path, std::string_view kind) {
    Request r;
    r.method = "POST";
    r.path = path;
    r.headers.emplace("content-type", "application/json");
    std::string view = req_.Header("x-view-id");
    if (view.empty()) {
      if (const std::string* q = req_.Query("view")) view = *q;
    }
    if (!view.empty()) r.headers.emplace("x-view-id", view);
    r.remote_addr = req_.remote_addr;
    r.client_gone = req_.client_gone;
    r.body = p.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (kind == "carrier" &&
        !SendProgress("processing", "", 50, "parsing", "Parsing carrier log...")) {
      return false;
    }
    Response res = api_.router().Dispatch(r);
    r.body.clear();
    nlohmann::json answer = nlohmann::json::parse(res.body, nullptr, /*allow_exceptions=*/false);
    if (res.status < 200 || res.status >= 300 || !answer.is_object()) {
      ApiError err{res.status, "UPLOAD_FAILED", "The upload failed."};
      if (answer.is_object()) {
        if (auto e = answer.find("error"); e != answer.end() && e->is_string()) err.message = *e;
        if (auto c = answer.find("code"); c != answer.end() && c->is_string()) err.code = *c;
      }
      return SendError(err, "");
    }
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Field("type", "complete");
    if (kind == "map") {
      w.Key("fileInfo").Raw(res.body);
      auto text = [&answer](const char* key) {
        auto v = answer.find(key);
        return v != answer.end() && v->is_string() ? v->get<std::string>() : std::string();
      };
      w.Key("result").BeginObject().Field("id", text("id")).Field("name", text("name")).EndObject();
    } else {
      w.Key("result").Raw(res.body);
    }
    w.EndObject();
    return Send("complete", "", out);
  }

  static ApiError NotFound(const std::string& id) {
    return {404, "SESSION_NOT_FOUND",
            "No upload '" + base::RepairUtf8(base::Utf8Prefix(id, 64)) +
                "' is open on this connection; start one with upload:init."};
  }

  bool SendProgress(const char* type, const std::string& id, double progress, const char* stage,
                    const std::string& message) {
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Field("type", type);
    if (!id.empty()) w.Field("uploadId", id);
    w.Field("progress", progress).Field("stage", stage).Field("message", message).EndObject();
    return Send(type, id, out);
  }

  bool SendError(const ApiError& err, const std::string& id) {
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Field("type", "error");
    if (!id.empty()) w.Field("uploadId", base::RepairUtf8(base::Utf8Prefix(id, 64)));
    w.Field("message", err.message).Field("code", err.code).Field("status", err.status).EndObject();
    return Send("error", "", out);
  }

  // `payload`: a JSON object, or "" for none.
  bool Send(const char* type, const std::string& id, const std::string& payload) {
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Field("type", type);
    if (!id.empty()) w.Field("id", id);
    if (!payload.empty()) w.Key("payload").Raw(payload);
    w.Field("timestamp", NowMs()).EndObject();
    return ws_.WriteText(out);
  }

  Api& api_;
  Request& req_;
  WebSocket& ws_;
  std::map<std::string, WsUpload> uploads_;  // by upload id
};

}  // namespace

void Api::AddWebSocketRoutes() {
  // At most a quarter of the workers serve upload connections at once.
  auto open = std::make_shared<std::atomic<int>>(0);
  const int max_open = std::max(1, config_.threads / 4);
  AddWebSocketRoute("GET", "/api/ws/uploads", [this, open, max_open](Request& req, WebSocket& ws) {
    struct Count {
      std::atomic<int>& n;
      ~Count() { n.fetch_sub(1); }
    } count{*open};
    if (open->fetch_add(1) >= max_open) {
      ws.WriteText(R"({"type":"error","payload":{"type":"error","code":"BUSY","status":503,)"
                   R"("message":"Too many upload connections are open; try again soon."}})");
      ws.Close("busy");
      return;
    }
    Connection(*this, req, ws).Serve();
  });
}

}  // namespace plcscope::http
