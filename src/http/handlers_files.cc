// Handlers: health, the OpenAPI document, and files (upload in every form,
// chunked upload with SSE job status, recent, info, rename, delete).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>

#include "base/base64.h"
#include "base/hex_clock.h"
#include "base/json_writer.h"
#include "base/log.h"
#include "base/mapped_file.h"
#include "base/utf8.h"
#include "http/api.h"
#include "http/handler_util.h"
#include "http/params.h"
#include "http/upload_writer.h"

namespace plcscope::http {

namespace {

constexpr size_t kRecentFiles = 20;
// After refusing an upload, read (and drop) up to this much more of its body
// so that the client sees the error instead of a reset connection.
constexpr uint64_t kDrainBytes = 16ull << 20;

bool IsMultipart(const std::string& ct) { return ct.rfind("multipart/form-data", 0) == 0; }
bool IsJson(const std::string& ct) { return ct.rfind("application/json", 0) == 0; }

ApiError Interrupted() {
  return {400, "UPLOAD_INTERRUPTED", "The upload body ended early or could not be read."};
}

ApiError BadEncoding(const std::string& what) {
  return {400, "BAD_ENCODING",
          "The upload body does not decode completely: " + what + "; nothing was stored."};
}

// Receives the body pieces as sent, decodes its Content-Encoding and hands
// the bytes to `sink`. After the first failure it only counts a bounded tail
// (so that the client reads the error instead of a reset connection).
class BodyPipe {
 public:
  using Sink = std::function<bool(const char*, size_t, ApiError*)>;
  BodyPipe(BodyEncoding encoding, Sink sink) : sink_(std::move(sink)) {
    if (encoding == BodyEncoding::kGzip) inflater_.emplace(Inflater::Format::kGzip);
    if (encoding == BodyEncoding::kDeflate) inflater_.emplace(Inflater::Format::kZlib);
  }

  // A BodyReceiver.
  bool Receive(const char* d, size_t n) {
    if (failed_) {
      drained_ += n;
      return drained_ < kDrainBytes;
    }
    if (!inflater_) {
      if (!sink_(d, n, &err_)) failed_ = true;
      return true;
    }
    const bool ok =
        inflater_->Feed(d, n, [&](const char* p, size_t m) { return sink_(p, m, &err_); });
    if (!ok) {
      failed_ = true;
      if (err_.code.empty()) err_ = BadEncoding(inflater_->error());
    }
    return true;
  }
  // After the whole body arrived: false (error() set) when the decoder did
  // not reach the end of its stream.
  bool Finish() {
    if (failed_) return false;
    if (inflater_ && !inflater_->Finish()) {
      failed_ = true;
      err_ = BadEncoding(inflater_->error());
    }
    return !failed_;
  }
  // Marks the pipe failed with `err` (e.g. the writer could not be created).
  void Fail(ApiError err) {
    failed_ = true;
    err_ = std::move(err);
  }
  bool failed() const { return failed_; }
  const ApiError& error() const { return err_; }

 private:
  Sink sink_;
  std::optional<Inflater> inflater_;
  bool failed_ = false;
  uint64_t drained_ = 0;
  ApiError err_;
};

// Streams the request body (or its `file` part) into an UploadWriter and
// commits it; nothing is stored unless every byte arrived and decoded.
std::optional<FileRecord> ReceiveUpload(Api& api, Request& req, std::string* name, ApiError* err) {
  const ServerConfig& cfg = api.config();
  const std::string tmp_dir = cfg.data_dir + "/tmp";
  const UploadLimits limits{cfg.max_upload_bytes, cfg.disk_reserve_bytes};
  const std::string ct = req.Header("content-type");
  const std::string encoding_header = req.Header("content-encoding");
  BodyEncoding encoding;
  if (!ParseContentEncoding(encoding_header, &encoding)) {
    *err = {415, "UNSUPPORTED_ENCODING",
            "Content-Encoding '" + base::RepairUtf8(base::Utf8Prefix(encoding_header, 64)) +
                "' is not supported; send the body as is, gzip or deflate."};
    return std::nullopt;
  }
  std::optional<uint64_t> expected;
  int64_t length;
  if (encoding == BodyEncoding::kIdentity && !IsMultipart(ct) && !IsJson(ct) &&
      ParseInt64(req.Header("content-length"), &length) && length >= 0) {
    expected = static_cast<uint64_t>(length);
  }

  std::unique_ptr<UploadWriter> writer;
  auto to_writer = [&writer](const char* d, size_t n, ApiError* e) {
    if (!writer || !writer->Write(d, n, e)) {
      writer.reset();  // removes the temporary file at once
      return false;
    }
    return true;
  };

  if (IsMultipart(ct)) {
    if (encoding != BodyEncoding::kIdentity) {
      *err = {415, "UNSUPPORTED_ENCODING",
              "Content-Encoding '" + base::RepairUtf8(base::Utf8Prefix(encoding_header, 64)) +
                  "' is not supported on a multipart body; compress the file itself or send it "
                  "as a raw body."};
      return std::nullopt;
    }
    if (!req.read_multipart) {
      *err = Interrupted();
      return std::nullopt;
    }
    BodyPipe pipe(BodyEncoding::kIdentity, to_writer);
    bool in_file = false;
    bool seen_file = false;
    const bool ok = req.read_multipart(
        [&](const std::string& part, const std::string& filename) {
          in_file = part == "file" && !seen_file;
          if (in_file) {
            seen_file = true;
            *name = filename.empty() ? "upload" : filename;
            ApiError e;
            writer = UploadWriter::Create(tmp_dir, limits, std::nullopt, &e);
            if (!writer) pipe.Fail(e);
          }
          return true;
        },
        [&](const char* d, size_t n) { return in_file ? pipe.Receive(d, n) : true; });
    if (pipe.failed()) {
      *err = pipe.error();
      return std::nullopt;
    }
    if (!ok) {
      *err = {400, "BAD_MULTIPART", "The multipart body is malformed or was cut short."};
      return std::nullopt;
    }
    if (!seen_file) {
      *err = BadParameter("file", "is required: send the file in a multipart field named 'file'");
      return std::nullopt;
    }
  } else if (IsJson(ct)) {
    std::string body;
    bool too_big = false;
    BodyPipe pipe(encoding, [&](const char* d, size_t n, ApiError* e) {
      if (body.size() + n > cfg.max_json_body_bytes) {
        too_big = true;
        *e = {413, "PAYLOAD_TOO_LARGE",
              "A JSON upload may be at most " + std::to_string(cfg.max_json_body_bytes) +
                  " bytes; send big files as a raw body or in chunks."};
        return false;
      }
      body.append(d, n);
      return true;
    });
    const bool ok =
        req.read_body && req.read_body([&](const char* d, size_t n) { return pipe.Receive(d, n); });
    if (pipe.failed() || (ok && !pipe.Finish())) {
      *err = pipe.error();
      return std::nullopt;
    }
    if (!ok) {
      *err = Interrupted();
      return std::nullopt;
    }
    Request json_req;
    json_req.body = std::move(body);
    nlohmann::json j;
    if (!ParseJsonObject(json_req, &j, err)) return std::nullopt;
    std::string data;
    if (!JsonString(j, "name", name, err) || !JsonString(j, "data", &data, err))
      return std::nullopt;
    std::string bytes;
    if (!base::DecodeBase64(data, &bytes)) {
      *err = BadParameter("data", "must be base64");
      return std::nullopt;
    }
    writer = UploadWriter::Create(tmp_dir, limits, bytes.size(), err);
    if (!writer || !writer->Write(bytes.data(), bytes.size(), err)) return std::nullopt;
  } else {
    if (const auto* n = req.Query("name")) *name = *n;
    BodyPipe pipe(encoding, to_writer);
    ApiError e;
    writer = UploadWriter::Create(tmp_dir, limits, expected, &e);
    if (!writer) pipe.Fail(e);
    const bool ok =
        req.read_body && req.read_body([&](const char* d, size_t n) { return pipe.Receive(d, n); });
    if (pipe.failed() || (ok && !pipe.Finish())) {
      *err = pipe.error();
      return std::nullopt;
    }
    if (!ok || (expected && writer->bytes() != *expected)) {
      *err = Interrupted();
      return std::nullopt;
    }
  }
  if (!writer) {
    if (err->code.empty()) *err = Interrupted();
    return std::nullopt;
  }
  return writer->Commit(api.files().files_dir(), *name, err);
}

}  // namespace

void Api::AddMetaRoutes() {
  router_.Add("GET", "/api/health", [this](Request&) {
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Field("status", "ok").Field("version", PLCSCOPE_VERSION);
    if (!startup_session_.empty()) w.Field("startupSessionId", startup_session_);
    // The ClickHouse backend, when there is one (the UI shows its Fleet view).
    if (fleet_) w.Key("fleet").BeginObject().Field("database", fleet_->database()).EndObject();
    w.EndObject();
    return JsonResponse(200, std::move(out));
  });
  // Readiness (docs/operations.md "Health and readiness"): 503 until the
  // session of the startup files (or the demo) is complete or has failed:
  // parsed, or its store reopened and verified after a restart.
  router_.Add("GET", "/api/ready", [this](Request&) {
    std::string status = "complete";
    double progress = 100;
    if (!startup_session_.empty()) {
      if (auto s = sessions_->Find(startup_session_)) {
        std::lock_guard<std::mutex> lock(s->mu);
        status = s->status;
        progress = s->progress;
      }
    }
    const bool ready = status == "complete" || status == "error";
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Field("ready", ready);
    if (!ready) {
      w.Field("reason", status == "pending" ? "the startup session is waiting to be opened"
                                            : "the startup session is being opened");
    }
    if (!startup_session_.empty()) {
      w.Field("startupSessionId", startup_session_).Field("startupStatus", status);
      w.Field("progress", progress);
    }
    w.EndObject();
    Response r = JsonResponse(ready ? 200 : 503, std::move(out));
    if (!ready) r.SetHeader("Retry-After", "1");
    return r;
  });
  // Prometheus text format 0.0.4 (docs/operations.md "Metrics").
  router_.Add("GET", "/metrics", [this](Request&) {
    const SessionManager::Figures f = sessions_->figures();
    Metrics::Gauges g;
    g.parse_jobs_queued = f.queued;
    g.parse_jobs_running = f.running;
    g.sessions_known = f.known;
    g.sessions_open = sessions_->open_count();
    g.store_bytes = f.store_bytes;
    g.store_budget_bytes = config_.store_budget_bytes;
    ReadResidentMemory(&g.resident_bytes, &g.resident_peak_bytes);
    g.uptime_seconds = static_cast<double>(base::MonotonicNs() - started_ns_) / 1e9;
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_.Render(g);
    r.SetHeader("Cache-Control", "no-store");
    return r;
  });
  router_.Add("GET", "/api/openapi.json", [this](Request&) {
    auto text = base::ReadFileToString(config_.openapi_path);
    if (!text.ok()) {
      return ErrorResponse(404, "NOT_FOUND", "The OpenAPI document is not installed.");
    }
    return JsonResponse(200, std::move(*text));
  });
}

void Api::AddFileRoutes() {
  router_.Add(
      "POST", "/api/files/upload",
      [this](Request& req) {
        std::string name = "upload";
        ApiError err;
        auto rec = ReceiveUpload(*this, req, &name, &err);
        if (!rec) {
          Response r = ErrorResponse(err);
          r.SetHeader("Connection", "close");
          return r;
        }
        base::Status s = files_->Add(*rec);
        if (!s.ok()) {
          std::filesystem::remove(rec->path);
          return ErrorResponse(FromStatus(s));
        }
        base::Log(base::LogLevel::kInfo, "files", "uploaded",
                  {{"id", rec->id}, {"name", rec->name}, {"bytes", rec->size}});
        return JsonResponse(201, FileInfoJson(*rec));
      },
      BodyMode::kStreamed);

  router_.Add("POST", "/api/files/upload/chunk", [this](Request& req) {
    nlohmann::json j;
    ApiError err;
    if (!ParseJsonObject(req, &j, &err)) return ErrorResponse(err);
    std::string upload_id, data;
    int64_t index = -1, total = -1;
    bool compressed = false;
    if (!JsonString(j, "uploadId", &upload_id, &err) || !JsonInt(j, "chunkIndex", &index, &err) ||
        !JsonInt(j, "totalChunks", &total, &err) || !JsonString(j, "data", &data, &err) ||
        !JsonBool(j, "compressed", &compressed, &err)) {
      return ErrorResponse(err);
    }
    if (!j.contains("chunkIndex")) return ErrorResponse(BadParameter("chunkIndex", "is required"));
    if (!j.contains("totalChunks")) {
      return ErrorResponse(BadParameter("totalChunks", "is required"));
    }
    std::string bytes;
    if (!base::DecodeBase64(data, &bytes))
      return ErrorResponse(BadParameter("data", "must be base64"));
    if (!chunks_->SaveChunk(upload_id, index, total, bytes, compressed, &err)) {
      return ErrorResponse(err);
    }
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject()
        .Field("status", "received")
        .Field("uploadId", upload_id)
        .Field("chunkIndex", index)
        .Field("totalChunks", total)
        .EndObject();
    return JsonResponse(202, std::move(out));
  });

  router_.Add("POST", "/api/files/upload/complete", [this](Request& req) {
    nlohmann::json j;
    ApiError err;
    if (!ParseJsonObject(req, &j, &err)) return ErrorResponse(err);
    std::string upload_id;
    CompleteRequest c;
    int64_t original = -1, compressed = -1;
    if (!JsonString(j, "uploadId", &upload_id, &err) || !JsonString(j, "name", &c.name, &err) ||
        !JsonInt(j, "totalChunks", &c.total_chunks, &err) ||
        !JsonString(j, "encoding", &c.encoding, &err) ||
        !JsonInt(j, "originalSize", &original, &err) ||
        !JsonInt(j, "compressedSize", &compressed, &err)) {
      return ErrorResponse(err);
    }
    if (!j.contains("totalChunks")) {
      return ErrorResponse(BadParameter("totalChunks", "is required"));
    }
    if (j.contains("originalSize") && !j["originalSize"].is_null()) {
      if (original < 0) return ErrorResponse(BadParameter("originalSize", "must not be negative"));
      c.original_size = static_cast<uint64_t>(original);
    }
    if (j.contains("compressedSize") && !j["compressedSize"].is_null()) {
      if (compressed < 0) {
        return ErrorResponse(BadParameter("compressedSize", "must not be negative"));
      }
      c.compressed_size = static_cast<uint64_t>(compressed);
    }
    auto job = chunks_->Complete(upload_id, c, &err);
    if (!job) return ErrorResponse(err);
    std::string out;
    base::JsonWriter w(&out);
    w.BeginObject().Field("jobId", *job).Field("status", "processing").EndObject();
    return JsonResponse(202, std::move(out));
  });

  router_.Add("GET", "/api/files/upload/:jobId/status", [this](Request& req) {
    auto job = chunks_->FindJob(req.Param("jobId"));
    if (!job)
      return ErrorResponse(NotFoundError("No upload job with id '" + req.Param("jobId") + "'."));
    return SseResponse(WatchAsSse(job, &stopping_));
  });

  router_.Add("GET", "/api/files/recent", [this](Request&) {
    std::string out;
    base::JsonWriter w(&out);
    w.BeginArray();
    for (const FileRecord& r : files_->Recent(kRecentFiles)) WriteFileInfo(w, r);
    w.EndArray();
    return JsonResponse(200, std::move(out));
  });

  router_.Add("GET", "/api/files/:id", [this](Request& req) {
    auto rec = files_->Get(req.Param("id"));
    if (!rec) return ErrorResponse(NotFoundError("No file with id '" + req.Param("id") + "'."));
    return JsonResponse(200, FileInfoJson(*rec));
  });

  router_.Add("PUT", "/api/files/:id", [this](Request& req) {
    nlohmann::json j;
    ApiError err;
    if (!ParseJsonObject(req, &j, &err)) return ErrorResponse(err);
    std::string name;
    if (!JsonString(j, "name", &name, &err)) return ErrorResponse(err);
    if (name.empty())
      return ErrorResponse(BadParameter("name", "is required and must not be empty"));
    base::Status s = files_->Rename(req.Param("id"), CleanDisplayName(name));
    if (!s.ok()) return ErrorResponse(FromStatus(s));
    return JsonResponse(200, FileInfoJson(*files_->Get(req.Param("id"))));
  });

  router_.Add("DELETE", "/api/files/:id", [this](Request& req) {
    auto rec = files_->Remove(req.Param("id"));
    if (!rec) return ErrorResponse(NotFoundError("No file with id '" + req.Param("id") + "'."));
    for (const std::string& id : sessions_->DeleteForFile(rec->id)) layouts_->DeleteAll(id);
    if (!rec->external) {
      std::error_code ec;
      std::filesystem::remove(rec->path, ec);
    }
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
  });
}

}  // namespace plcscope::http
