// The map view's endpoints (docs/api.md "Map view", docs/map.md): layout and rules
// files, defaults, the carrier log, and our playback endpoints (unit colors
// and carrier positions at an instant, carrier changes over a range, one
// unit's details). Routing and marshalling only: the state lives in
// map::MapLibrary, stores come from the server's sessions through MapHooks.
// Handlers are thread-safe (the library and hooks are).
#pragma once

#include <xxhash.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/api_error.h"
#include "http/file_registry.h"
#include "http/router.h"
#include "http/session_manager.h"
#include "ingest/formats/detect.h"
#include "map/map_library.h"
#include "store/store.h"

namespace plcscope::http {

struct CarrierLogStart {
  std::string session_id;
  std::string file_id;
};

// What the map endpoints need from the rest of the server.
struct MapHooks {
  // The open store of a complete session; nullptr with *err set otherwise
  // (404 unknown, 409 still parsing, ...).
  std::function<std::shared_ptr<const store::Store>(const std::string& session_id, ApiError* err)>
      acquire;
  // Keeps `bytes` as an uploaded file named `name` and starts an `mcs` parse
  // of it. A file that is not an mcs log is a 400.
  std::function<bool(const std::string& name, const std::string& bytes, CarrierLogStart* out,
                     ApiError* err)>
      start_mcs_parse;
  // A session's status ("pending"|"parsing"|"complete"|"error") and its
  // entry count so far; false when unknown.
  std::function<bool(const std::string& session_id, std::string* status, uint64_t* entries)>
      session_status;
};

// Adds every map endpoint to `router`. `library` must outlive the router.
void RegisterMapRoutes(Router* router, map::MapLibrary* library, MapHooks hooks);

// The client view id of a request: header `X-View-Id` or query `view`,
// "default" when neither; false (and a 400) when it is not 1..64 of
// [A-Za-z0-9_.-].
bool ViewIdOf(const Request& req, std::string* view, ApiError* err);

// True when the first non-blank lines of `text` are detected as an mcs log
// (docs/formats.md §1 detection; a UTF-8 BOM and CR line ends are allowed).
inline bool LooksLikeMcs(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string_view> lines;
  while (!text.empty() && lines.size() < ingest::kDetectLines) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
  }
  auto f = ingest::DetectFormat(lines);
  return f.ok() && *f == ingest::Format::kMcs;
}

// The hooks over the server's own file registry and session manager.
inline MapHooks MapHooksFor(FileRegistry* files, SessionManager* sessions) {
  MapHooks h;
  h.acquire = [sessions](const std::string& id,
                         ApiError* err) -> std::shared_ptr<const store::Store> {
    auto view = sessions->Acquire(id, err);
    return view ? view->shared_store() : nullptr;
  };
  h.start_mcs_parse = [files, sessions](const std::string& name, const std::string& bytes,
                                        CarrierLogStart* out, ApiError* err) {
    if (!LooksLikeMcs(bytes)) {
      *err = {400, "NOT_MCS_LOG", "The carrier log is not an mcs (AMHS carrier) log."};
      return false;
    }
    FileRecord r;
    r.id = NewId();
    r.name = CleanDisplayName(name);
    r.size = bytes.size();
    r.uploaded_at_ns = NowNs();
    r.path = files->files_dir() + "/" + r.id + ".log";  // as upload_writer.cc names uploads
    r.hash = XXH3_64bits(bytes.data(), bytes.size());
    r.has_hash = true;
    {
      const std::string tmp = r.path + ".tmp";
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      f.close();
      if (!f || std::rename(tmp.c_str(), r.path.c_str()) != 0) {
        std::remove(tmp.c_str());
        *err = {507, "INSUFFICIENT_STORAGE", "Could not store the carrier log."};
        return false;
      }
    }
    if (base::Status st = files->Add(r); !st.ok()) {
      *err = FromStatus(st);
      return false;
    }
    auto s = sessions->Start({r.id}, "mcs", err);
    if (!s) return false;
    out->session_id = s->id;
    out->file_id = r.id;
    return true;
  };
  h.session_status = [sessions](const std::string& id, std::string* status, uint64_t* entries) {
    auto s = sessions->Find(id);
    if (!s) return false;
    std::lock_guard<std::mutex> lock(s->mu);
    *status = s->status;
    *entries = s->meta ? s->meta->row_count : s->rows;
    return true;
  };
  return h;
}

}  // namespace plcscope::http
