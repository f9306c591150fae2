// Test helper for every layer above store (query, map, http tests): builds a
// store with store::SessionBuilder into a temporary file and opens it (the
// file is removed at once; the mapping stays valid). For tests only; not
// thread-safe.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "query/query.h"
#include "store/session_builder.h"
#include "store/store.h"

namespace plcscope::query::testing {

inline std::shared_ptr<const store::Store> BuildStore(
    const std::function<void(store::SessionBuilder&)>& fill, store::BuildOptions options = {}) {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("plcscope_query_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / (std::to_string(counter++) + ".plcs")).string();
  store::SessionBuilder b(std::move(options));
  fill(b);
  base::Status st = b.Finish(path);
  if (!st.ok()) return nullptr;
  auto s = store::Store::Open(path);
  std::filesystem::remove(path);
  if (!s.ok()) return nullptr;
  return s.value();
}

// One sample of a test log: ms since the epoch, device, signal, and the
// value as a log writes it (typed like a log value: ON, 12, 2.5, text).
struct TestSample {
  int64_t ms;
  std::string device, signal, value;
};

// A store of `samples` in order (device paths "PATH/<device>"); nullptr when
// it cannot be built.
inline std::shared_ptr<const store::Store> BuildSampleStore(
    const std::vector<TestSample>& samples) {
  return BuildStore([&](store::SessionBuilder& b) {
    for (const TestSample& x : samples) {
      uint32_t dev = b.Device(x.device, "PATH/" + x.device);
      uint32_t stream = b.Stream(b.Signal(dev, x.signal), "", 0);
      b.AddRow(x.ms * 1'000'000, stream, b.Value(x.value, base::DeclaredType::kInfer));
    }
  });
}

// The whole export of `q` as one string; "" with a failed status in *status.
inline std::string ExportToString(const Session& session, const ExportQuery& q,
                                  base::Status* status) {
  std::string out;
  *status = session.Export(q, [&](std::string_view chunk) {
    out.append(chunk);
    return true;
  });
  return status->ok() ? out : std::string();
}

}  // namespace plcscope::query::testing
