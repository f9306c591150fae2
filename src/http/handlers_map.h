// Helpers shared by the two map handler groups of Api (docs/api.md "Map view",
// docs/map.md): handlers_map.cc (layout and rules files, defaults, the carrier
// log) and handlers_map_playback.cc (colors and carriers at an instant,
// carrier changes, one unit). Stateless functions over the server's sessions;
// thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "http/api_error.h"
#include "http/request.h"
#include "http/session_manager.h"
#include "store/store.h"

namespace plcscope::http {

// The client view id of a request: header `X-View-Id` or query `view`,
// "default" when neither; false (and a 400) when it is not 1..64 of
// [A-Za-z0-9_.-].
bool ViewIdOf(const Request& req, std::string* view, ApiError* err);

// The open store of a complete session; nullptr with *err set otherwise
// (404 unknown, 409 still parsing, ...).
std::shared_ptr<const store::Store> MapSessionStore(SessionManager& sessions,
                                                    const std::string& session_id, ApiError* err);

// A session's status ("pending"|"parsing"|"complete"|"error") and its entry
// count so far; false when the session is unknown.
bool MapSessionStatus(SessionManager& sessions, const std::string& session_id, std::string* status,
                      uint64_t* entries);

}  // namespace plcscope::http
