// Test helper: builds a real store (through store::SessionBuilder) from a
// few samples, in a temporary directory removed with the object. Not
// thread-safe; one per test.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "store/session_builder.h"
#include "store/store.h"

namespace plcscope::map {

struct TestSample {
  int64_t ms;
  std::string device, signal, value;
};

#ifdef PLCSCOPE_SOURCE_DIR
// The text of a file of the source tree (e.g. "demo/layout.xml"); "" when
// missing. PLCSCOPE_SOURCE_DIR is set for map_test by src/map/CMakeLists.txt.
inline std::string ReadProjectFile(const std::string& rel) {
  std::ifstream in(std::string(PLCSCOPE_SOURCE_DIR) + "/" + rel);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
#endif

class TestStore {
 public:
  TestStore() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("plcscope_map_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
  }
  ~TestStore() { std::filesystem::remove_all(dir_); }

  std::shared_ptr<const store::Store> Build(const std::vector<TestSample>& samples) {
    store::SessionBuilder b;
    for (const TestSample& x : samples) {
      uint32_t dev = b.Device(x.device, "PATH/" + x.device);
      uint32_t stream = b.Stream(b.Signal(dev, x.signal), "", 0);
      b.AddRow(x.ms * 1'000'000, stream, b.Value(x.value, base::DeclaredType::kInfer));
    }
    std::string path = (dir_ / ("s" + std::to_string(n_++) + ".plcs")).string();
    base::Status st = b.Finish(path);
    if (!st.ok()) return nullptr;
    auto s = store::Store::Open(path);
    return s.ok() ? *s : nullptr;
  }

 private:
  std::filesystem::path dir_;
  int n_ = 0;
};

}  // namespace plcscope::map
