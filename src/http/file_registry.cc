#include "http/file_registry.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "base/hex_clock.h"
#include "base/log.h"
#include "base/mapped_file.h"
#include "base/utf8.h"

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
  return base::Hex64(v);
}

int64_t NowNs() { return base::NowNs(); }

std::string CleanDisplayName(std::string_view name) {
  const std::string valid = base::RepairUtf8(name);
  std::string out;
  for (char c : valid) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) continue;
    out.push_back(c);
  }
  out.resize(base::Utf8Prefix(out, kMaxNameBytes).size());
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty()) out = "upload";
  return out;
}

bool IsFileId(std::string_view id) {
  if (id.size() != 16) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

namespace {

constexpr char kLog[] = "files";

// Reads one field of a registry entry. An absent field keeps its default;
// a field of the wrong type makes the entry damaged.
bool ReadString(const nlohmann::json& e, const char* key, std::string* out) {
  auto it = e.find(key);
  if (it == e.end()) return true;
  if (!it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}
bool ReadBool(const nlohmann::json& e, const char* key, bool* out) {
  auto it = e.find(key);
  if (it == e.end()) return true;
  if (!it->is_boolean()) return false;
  *out = it->get<bool>();
  return true;
}
bool ReadUint(const nlohmann::json& e, const char* key, uint64_t* out) {
  auto it = e.find(key);
  if (it == e.end()) return true;
  if (!it->is_number_unsigned()) return false;
  *out = it->get<uint64_t>();
  return true;
}
bool ReadInt(const nlohmann::json& e, const char* key, int64_t* out) {
  auto it = e.find(key);
  if (it == e.end()) return true;
  if (!it->is_number_integer()) return false;
  if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return false;
  }
  *out = it->get<int64_t>();
  return true;
}

// True for a regular file (with `follow_links` false: not a symlink either);
// fills its size and mtime.
bool StatRegular(const std::string& path, bool follow_links, uint64_t* size, int64_t* mtime_ns) {
  struct stat st;
  if ((follow_links ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st)) != 0) return false;
  if (!S_ISREG(st.st_mode)) return false;
  *size = static_cast<uint64_t>(st.st_size);
  *mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return true;
}

// What is wrong with one entry of files.json ("" when it is sound).
std::string ParseEntry(const nlohmann::json& e, FileRecord* r) {
  if (!e.is_object()) return "it is not a JSON object";
  if (!ReadString(e, "id", &r->id) || !IsFileId(r->id)) return "its id is not 16 hex digits";
  if (!ReadString(e, "name", &r->name)) return "its name is not a string";
  if (!ReadUint(e, "size", &r->size)) return "its size is not a non-negative integer";
  if (!ReadInt(e, "uploadedAtNs", &r->uploaded_at_ns)) return "its uploadedAtNs is not an integer";
  if (!ReadString(e, "path", &r->path) || r->path.empty() ||
      r->path.find('\0') != std::string::npos) {
    return "its path is not a non-empty string";
  }
  if (!ReadBool(e, "external", &r->external)) return "its external flag is not a boolean";
  if (!ReadBool(e, "hasHash", &r->has_hash) || !ReadUint(e, "hash", &r->hash)) {
    return "its hash is not an unsigned integer";
  }
  if (!ReadInt(e, "mtimeNs", &r->mtime_ns)) return "its mtimeNs is not an integer";
  r->name = CleanDisplayName(r->name.empty() ? r->id + ".log" : r->name);
  return "";
}

std::string Printable(std::string_view s) { return base::RepairUtf8(base::Utf8Prefix(s, 200)); }

}  // namespace

base::Result<std::unique_ptr<FileRegistry>> FileRegistry::Open(const std::string& data_dir) {
  std::unique_ptr<FileRegistry> reg(new FileRegistry());
  reg->json_path_ = data_dir + "/files.json";
  reg->files_dir_ = data_dir + "/files";
  std::error_code ec;
  fs::create_directories(reg->files_dir_, ec);
  if (ec) return base::IoError("cannot create " + reg->files_dir_ + ": " + ec.message());
  reg->RemoveTemps();
  bool changed = false;
  if (::access(reg->json_path_.c_str(), F_OK) == 0) {
    std::string damage;
    size_t bad_entries = 0;
    auto text = base::ReadFileToString(reg->json_path_);
    if (!text.ok()) {
      damage = "it cannot be read (" + text.status().message() + ")";
    } else {
      nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
      if (j.is_discarded()) {
        damage = "it is not valid JSON";
      } else if (!j.is_array()) {
        damage = "it is not a JSON array";
      } else {
        bad_entries = reg->LoadEntries(j, &changed);
      }
    }
    if (!damage.empty() || bad_entries > 0) {
      // Keep the damaged bytes for a human; a fresh list replaces them.
      auto aside = base::SetAsideDamaged(reg->json_path_);
      const std::string where = aside.ok() ? "set aside as " + *aside
                                           : "cannot set it aside: " + aside.status().message();
      if (!damage.empty()) {
        base::Log(base::LogLevel::kWarning, kLog,
                  reg->json_path_ + " is damaged: " + damage + "; " + where +
                      "; rebuilding the list from " + reg->files_dir_ +
                      " (files opened from the command line must be given again)");
      } else {
        base::Log(
            base::LogLevel::kWarning, kLog,
            reg->json_path_ + " had " + std::to_string(bad_entries) + " damaged entries; " + where);
      }
      changed = true;
    }
  }
  if (reg->AdoptOrphans() > 0) changed = true;
  if (changed) {
    std::lock_guard<std::mutex> lock(reg->mu_);
    base::Status s = reg->SaveLocked();
    if (!s.ok()) {
      base::Log(base::LogLevel::kWarning, kLog,
                "cannot rewrite " + reg->json_path_ + ": " + s.message());
    }
  }
  return reg;
}

size_t FileRegistry::LoadEntries(const nlohmann::json& j, bool* changed) {
  size_t bad = 0;
  for (size_t i = 0; i < j.size(); ++i) {
    FileRecord r;
    std::string why = ParseEntry(j[i], &r);
    if (why.empty() && files_.count(r.id) != 0) why = "its id is listed twice";
    if (why.empty() && !r.external) {
      // An upload lives at <files>/<id>.log and nowhere else.
      std::error_code ec;
      const fs::path p(r.path);
      const fs::path parent = p.parent_path().empty() ? fs::path(".") : p.parent_path();
      if (p.filename() != r.id + ".log" || !fs::equivalent(parent, files_dir_, ec)) {
        why = "its path '" + Printable(r.path) + "' is not inside " + files_dir_;
      }
      r.path = files_dir_ + "/" + r.id + ".log";
    }
    if (why.empty() && r.external && r.path.front() != '/') why = "its path is not absolute";
    if (!why.empty()) {
      base::Log(base::LogLevel::kWarning, kLog,
                "dropping entry " + std::to_string(i) + " (id '" +
                    (r.id.empty() ? std::string("?") : Printable(r.id)) + "') of " + json_path_ +
                    ": " + why);
      ++bad;
      continue;
    }
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    if (!StatRegular(r.path, r.external, &size, &mtime_ns)) {
      base::Log(base::LogLevel::kWarning, kLog,
                r.id + " (" + r.name + ") is gone from " + Printable(r.path) + "; forgetting it");
      *changed = true;
      continue;
    }
    if (!r.external && size != r.size) {
      // The bytes changed under us: believe the disk, hash again when needed.
      r.size = size;
      r.has_hash = false;
      *changed = true;
    }
    files_[r.id] = std::move(r);
  }
  return bad;
}

size_t FileRegistry::AdoptOrphans() {
  size_t adopted = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(files_dir_, ec)) {
    const std::string file = entry.path().filename().string();
    if (file.size() != 20 || file.compare(16, 4, ".log") != 0) continue;
    const std::string id = file.substr(0, 16);
    if (!IsFileId(id) || files_.count(id) != 0) continue;
    FileRecord r;
    r.id = id;
    r.name = file;
    r.path = files_dir_ + "/" + file;
    if (!StatRegular(r.path, false, &r.size, &r.mtime_ns)) continue;
    r.uploaded_at_ns = r.mtime_ns;
    base::Log(base::LogLevel::kWarning, kLog, "recovered " + r.path + ", which had no record",
              {{"bytes", r.size}});
    files_[id] = std::move(r);
    ++adopted;
  }
  return adopted;
}

void FileRegistry::RemoveTemps() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(files_dir_, ec)) {
    const std::string file = entry.path().filename().string();
    const bool tmp = base::IsTempName(file) ||
                     (file.size() > 4 && file.compare(file.size() - 4, 4, ".tmp") == 0);
    std::error_code ec2;
    if (tmp && entry.is_regular_file(ec2)) fs::remove(entry.path(), ec2);
  }
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
