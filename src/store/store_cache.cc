#include "store/store_cache.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "base/hex_clock.h"
#include "base/log.h"
#include "base/mapped_file.h"
#include "store/format.h"

namespace plcscope::store {
namespace fs = std::filesystem;

namespace {
constexpr const char kStoreExtension[] = ".store";

// A temporary file's writer, from its name `<path>.tmp-<pid>-<n>`, is gone
// when its process is not alive (or is this process, which has not written
// yet): then nobody will rename it.
bool WriterGone(const std::string& name) {
  const size_t at = name.rfind(".tmp-");
  const long pid = std::strtol(name.c_str() + at + 5, nullptr, 10);
  if (pid <= 0 || pid == ::getpid()) return true;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

bool IsStoreName(const std::string& name) {
  return name.size() > 6 && name.compare(name.size() - 6, 6, kStoreExtension) == 0;
}
}  // namespace

std::string StoreKey(std::span<const KeyInput> inputs, const KeySettings& settings) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  for (const KeyInput& in : inputs) {
    const uint64_t parts[2] = {in.hash, in.size};
    XXH3_64bits_update(st, parts, sizeof parts);
  }
  char dedup[32];
  std::snprintf(dedup, sizeof dedup, "%.17g", settings.dedup_ms);
  const std::string tail = settings.format + "|" + std::to_string(kParserVersion) + "|" +
                           std::to_string(kFormatVersion) + "|" + dedup;
  XXH3_64bits_update(st, tail.data(), tail.size());
  const uint64_t h = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return base::Hex64(h);
}

std::string DefaultDataDir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/plcscope";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return std::string(home) + "/.local/share/plcscope";
  return "plcscope-data";
}

StoreCache::StoreCache(std::string data_dir, uint64_t budget_bytes)
    : stores_dir_(std::move(data_dir) + "/stores"), budget_bytes_(budget_bytes) {}

base::Status StoreCache::Init(size_t* swept) {
  std::error_code ec;
  fs::create_directories(stores_dir_, ec);
  if (ec) return base::IoError("cannot create " + stores_dir_ + ": " + ec.message());
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(stores_dir_, ec)) {
    const std::string name = e.path().filename().string();
    if (!base::IsTempName(name) || !WriterGone(name)) continue;
    std::error_code rm;
    const uint64_t bytes = fs::file_size(e.path(), rm);
    if (fs::remove(e.path(), rm)) {
      ++n;
      base::Log(base::LogLevel::kWarning, "stores",
                "removed " + name + ", left by an interrupted write",
                {{"bytes", static_cast<uint64_t>(bytes)}});
    }
  }
  if (swept != nullptr) *swept = n;
  return base::Status::Ok();
}

std::string StoreCache::PathFor(const std::string& key) const {
  return stores_dir_ + "/" + key + kStoreExtension;
}

base::Result<StoreCache::Opened> StoreCache::OpenOrBuild(const std::string& key,
                                                         const Ingest& ingest, bool force) const {
  const std::string path = PathFor(key);
  std::error_code ec;
  if (!force && fs::exists(path, ec)) {
    auto opened = Store::Open(path);
    if (opened.ok()) {
      ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // LRU order for the budget
      return Opened{std::move(opened.value()), false};
    }
    // Never served: removed, then rebuilt from the source files when we can.
    base::Log(base::LogLevel::kWarning, "stores",
              opened.status().message() + "; removing it" + (ingest ? " and parsing again" : ""));
    fs::remove(path, ec);
  }
  if (!ingest) return base::NotFound("no stored result " + key);
  PLCSCOPE_RETURN_IF_ERROR(ingest(path));
  auto built = Store::Open(path);
  if (!built.ok()) {
    fs::remove(path, ec);
    return built.status();
  }
  return Opened{std::move(built.value()), true};
}

void StoreCache::Remove(const std::string& key) const {
  std::error_code ec;
  fs::remove(PathFor(key), ec);
}

namespace {
struct DiskEntry {
  std::string key;  // "" for a temporary file
  uint64_t bytes = 0;
  fs::file_time_type used;
};

std::vector<DiskEntry> ListFolder(const std::string& dir) {
  std::vector<DiskEntry> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    const bool temp = base::IsTempName(name);
    if (!temp && !IsStoreName(name)) continue;
    std::error_code ec2;
    DiskEntry d;
    d.bytes = fs::file_size(e.path(), ec2);
    if (ec2) continue;
    d.used = fs::last_write_time(e.path(), ec2);
    if (!temp) d.key = name.substr(0, name.size() - 6);
    out.push_back(std::move(d));
  }
  return out;
}
}  // namespace

uint64_t StoreCache::DiskBytes() const {
  uint64_t total = 0;
  for (const auto& e : ListFolder(stores_dir_)) total += e.bytes;
  return total;
}

uint64_t StoreCache::EnforceBudget(const std::vector<std::string>& in_use) const {
  std::vector<DiskEntry> entries = ListFolder(stores_dir_);
  uint64_t total = 0;
  for (const auto& e : entries) total += e.bytes;
  if (total <= budget_bytes_) return 0;
  std::sort(entries.begin(), entries.end(),
            [](const DiskEntry& a, const DiskEntry& b) { return a.used < b.used; });
  uint64_t removed = 0;
  for (const DiskEntry& e : entries) {
    if (total <= budget_bytes_) break;
    if (e.key.empty()) continue;  // a temporary file: a writer may be running
    if (std::find(in_use.begin(), in_use.end(), e.key) != in_use.end()) continue;
    base::Log(base::LogLevel::kInfo, "stores", "disk budget: evicting a stored result",
              {{"store", e.key}, {"bytes", static_cast<uint64_t>(e.bytes)}});
    std::error_code ec;
    if (fs::remove(PathFor(e.key), ec)) {
      total -= e.bytes;
      removed += e.bytes;
    }
  }
  return removed;
}

}  // namespace plcscope::store
