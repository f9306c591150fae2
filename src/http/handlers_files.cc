// Handlers: health, the OpenAPI document, and files (upload in every form,
// chunked upload with SSE job status, recent, info, rename, delete).
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "base/mapped_file.h"
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

// Streams the request body (or its `file` part) into an UploadWriter.
// Returns the error to report, if any.
std::optional<FileRecord> ReceiveUpload(Api& api, Request& req, std::string* name, ApiError* err) {
  const ServerConfig& cfg = api.config();
  const std::string tmp_dir = cfg.data_dir + "/tmp";
  const UploadLimits limits{cfg.max_upload_bytes, cfg.disk_reserve_bytes};
  const std::string ct = req.Header("content-type");
  const std::string encoding = req.Header("content-encoding");
  if (!encoding.empty() && encoding != "identity" && encoding != "gzip" && encoding != "deflate" &&
      encoding != "br") {
    *err = {415, "UNSUPPORTED_ENCODING",
            "Content-Encoding '" + encoding.substr(0, 32) + "' is not supported; use gzip."};
    return std::nullopt;
  }
  std::optional<uint64_t> expected;
  int64_t length;
  if ((encoding.empty() || encoding == "identity") && !IsMultipart(ct) && !IsJson(ct) &&
      ParseInt64(req.Header("content-length"), &length) && length >= 0) {
    expected = static_cast<uint64_t>(length);
  }

  std::unique_ptr<UploadWriter> writer;
  bool failed = false;
  uint64_t drained = 0;
  // Receives pieces; after a failure keeps reading a bounded tail.
  auto write = [&](const char* d, size_t n) {
    if (failed) {
      drained += n;
      return drained < kDrainBytes;
    }
    if (!writer->Write(d, n, err)) {
      failed = true;
      writer.reset();
    }
    return true;
  };

  if (IsMultipart(ct)) {
    if (!req.read_multipart) {
      *err = Interrupted();
      return std::nullopt;
    }
    bool in_file = false;
    bool seen_file = false;
    const bool ok = req.read_multipart(
        [&](const std::string& part, const std::string& filename) {
          in_file = part == "file" && !seen_file;
          if (in_file) {
            seen_file = true;
            *name = filename.empty() ? "upload" : filename;
            writer = UploadWriter::Create(tmp_dir, limits, std::nullopt, err);
            if (!writer) failed = true;
          }
          return true;
        },
        [&](const char* d, size_t n) { return in_file ? write(d, n) : true; });
    if (failed) return std::nullopt;
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
    const bool ok = req.read_body([&](const char* d, size_t n) {
      if (body.size() + n > cfg.max_json_body_bytes) {
        too_big = true;
        return false;
      }
      body.append(d, n);
      return true;
    });
    if (too_big) {
      *err = {413, "PAYLOAD_TOO_LARGE",
              "A JSON upload may be at most " + std::to_string(cfg.max_json_body_bytes) +
                  " bytes; send big files as a raw body or in chunks."};
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
    if (!DecodeBase64(data, &bytes)) {
      *err = BadParameter("data", "must be base64");
      return std::nullopt;
    }
    writer = UploadWriter::Create(tmp_dir, limits, bytes.size(), err);
    if (!writer || !writer->Write(bytes.data(), bytes.size(), err)) return std::nullopt;
  } else {
    if (const auto* n = req.Query("name")) *name = *n;
    writer = UploadWriter::Create(tmp_dir, limits, expected, err);
    if (!writer) {
      failed = true;
      if (req.read_body) req.read_body(write);  // drain a little so the client sees the error
      return std::nullopt;
    }
    const bool ok = req.read_body && req.read_body(write);
    if (failed) return std::nullopt;
    if (!ok) {
      *err = Interrupted();
      return std::nullopt;
    }
    if (expected && writer->bytes() != *expected) {
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
    JsonWriter w(&out);
    w.BeginObject().Field("status", "ok").Field("version", PLCSCOPE_VERSION);
    if (!startup_session_.empty()) w.Field("startupSessionId", startup_session_);
    w.EndObject();
    return JsonResponse(200, std::move(out));
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
        std::fprintf(stderr, "files: uploaded %s (%s, %llu bytes)\n", rec->id.c_str(),
                     rec->name.c_str(), static_cast<unsigned long long>(rec->size));
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
    if (!DecodeBase64(data, &bytes)) return ErrorResponse(BadParameter("data", "must be base64"));
    if (!chunks_->SaveChunk(upload_id, index, total, bytes, compressed, &err)) {
      return ErrorResponse(err);
    }
    std::string out;
    JsonWriter w(&out);
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
    std::string upload_id, name = "upload", encoding = "none";
    int64_t total = -1;
    if (!JsonString(j, "uploadId", &upload_id, &err) || !JsonString(j, "name", &name, &err) ||
        !JsonInt(j, "totalChunks", &total, &err) || !JsonString(j, "encoding", &encoding, &err)) {
      return ErrorResponse(err);
    }
    auto job = chunks_->Complete(upload_id, name, total, encoding, &err);
    if (!job) return ErrorResponse(err);
    std::string out;
    JsonWriter w(&out);
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
    JsonWriter w(&out);
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
    sessions_->DeleteForFile(rec->id);
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
