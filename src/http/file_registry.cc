#include "http/file_registry.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "base/mapped_file.h"

namespace plcscope::http {

namespace fs = std::filesystem;

std::string NewId() {
  static std::mutex mu;
  static std::mt19937_64 rng{
      std::random_device{}() ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())};
  uint64_t v;
  {
    std::lock_guard<std::mutex> lock(mu);
    v = rng();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[i] = kHex[v & 15];
  return s;
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string CleanDisplayName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) continue;
    out.push_back(c);
    if (out.size() >= 255) break;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty()) out = "upload";
  return out;
}

base::Result<std::unique_ptr<FileRegistry>> FileRegistry::Open(const std::string& data_dir) {
  std::unique_ptr<FileRegistry> reg(new FileRegistry());
  reg->json_path_ = data_dir + "/files.json";
  reg->files_dir_ = data_dir + "/files";
  std::error_code ec;
  fs::create_directories(reg->files_dir_, ec);
  if (ec) return base::IoError("cannot create " + reg->files_dir_ + ": " + ec.message());
  if (!fs::exists(reg->json_path_)) return reg;
  auto text = base::ReadFileToString(reg->json_path_);
  if (!text.ok()) return text.status();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_array()) return base::Corrupt(reg->json_path_ + " is not a JSON array");
  for (const auto& e : j) {
    if (!e.is_object()) continue;
    FileRecord r;
    r.id = e.value("id", "");
    r.name = e.value("name", "");
    r.size = e.value("size", uint64_t{0});
    r.uploaded_at_ns = e.value("uploadedAtNs", int64_t{0});
    r.path = e.value("path", "");
    r.external = e.value("external", false);
    r.has_hash = e.value("hasHash", false);
    r.hash = e.value("hash", uint64_t{0});
    r.mtime_ns = e.value("mtimeNs", int64_t{0});
    if (r.id.empty() || r.path.empty() || !fs::exists(r.path)) continue;
    reg->files_[r.id] = std::move(r);
  }
  return reg;
}

base::Status FileRegistry::SaveLocked() const {
  nlohmann::json j = nlohmann::json::array();
  std::vector<const FileRecord*> all;
  for (const auto& [id, r] : files_) all.push_back(&r);
  std::sort(all.begin(), all.end(), [](auto* a, auto* b) { return a->id < b->id; });
  for (const FileRecord* r : all) {
    j.push_back({{"id", r->id},
                 {"name", r->name},
                 {"size", r->size},
                 {"uploadedAtNs", r->uploaded_at_ns},
                 {"path", r->path},
                 {"external", r->external},
                 {"hasHash", r->has_hash},
                 {"hash", r->hash},
                 {"mtimeNs", r->mtime_ns}});
  }
  return base::WriteFileAtomic(json_path_,
                               j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::optional<FileRecord> FileRegistry::Get(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(id);
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

std::vector<FileRecord> FileRegistry::All() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<FileRecord> out;
  for (const auto& [id, r] : files_) out.push_back(r);
  std::sort(out.begin(), out.end(), [](const FileRecord& a, const FileRecord& b) {
    if (a.uploaded_at_ns != b.uploaded_at_ns) return a.uploaded_at_ns > b.uploaded_at_ns;
    return a.id < b.id;
  });
  return out;
}

std::vector<FileRecord> FileRegistry::Recent(size_t limit) const {
  std::vector<FileRecord> all = All();
  if (all.size() > limit) all.resize(limit);
  return all;
}

size_t FileRegistry::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return files_.size();
}

base::Status FileRegistry::Add(const FileRecord& r) {
  std::lock_guard<std::mutex> lock(mu_);
  files_[r.id] = r;
  base::Status s = SaveLocked();
  if (!s.ok()) files_.erase(r.id);
  return s;
}

base::Status FileRegistry::Rename(const std::string& id, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(id);
  if (it == files_.end()) return base::NotFound("No file with id '" + id + "'.");
  it->second.name = name;
  return SaveLocked();
}

base::Status FileRegistry::SetHash(const std::string& id, uint64_t hash, int64_t mtime_ns) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(id);
  if (it == files_.end()) return base::NotFound("No file with id '" + id + "'.");
  it->second.hash = hash;
  it->second.has_hash = true;
  it->second.mtime_ns = mtime_ns;
  return SaveLocked();
}

std::optional<FileRecord> FileRegistry::Remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(id);
  if (it == files_.end()) return std::nullopt;
  FileRecord r = std::move(it->second);
  files_.erase(it);
  SaveLocked();
  return r;
}

std::optional<FileRecord> FileRegistry::FindExternal(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, r] : files_) {
    if (r.external && r.path == path) return r;
  }
  return std::nullopt;
}

}  // namespace plcscope::http
