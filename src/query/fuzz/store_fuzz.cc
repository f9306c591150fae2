// libFuzzer target over store bytes: Store::Open must refuse every damaged
// store, and a store that opens must answer every query kind of
// query::Session without a crash, a sanitizer report or a hang.
//
// Input: byte 0 picks the mode.
//   bit 0 set:   the rest is a whole store file, as is.
//   bit 0 clear: the rest is a list of (u32 offset, u8 xor) edits applied to
//                a small valid store built once; with bit 1 set, every
//                checksum is recomputed afterwards, so the edits reach the
//                validation pass and the queries instead of the checksums.
#include <unistd.h>
#include <xxhash.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "base/mapped_file.h"
#include "query/query.h"
#include "store/session_builder.h"
#include "store/store.h"

namespace {
using namespace plcscope;

std::string Dir() {
  static const std::string dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("plcscope_store_fuzz_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d.string();
  }();
  return dir;
}

// A small store with every feature the queries touch: two files, types,
// categories, errors, equal times, changes.
const std::string& SeedStore() {
  static const std::string bytes = [] {
    store::SessionBuilder b;
    b.meta().files.resize(2);
    const uint32_t d1 = b.Device("DEV-1", "L/DEV-1"), d2 = b.Device("DEV-2", "L/DEV-2");
    const uint32_t flag = b.Stream(b.Signal(d1, "FLAG"), "IN", 0);
    const uint32_t num = b.Stream(b.Signal(d1, "NUM"), "", 0);
    const uint32_t txt = b.Stream(b.Signal(d2, "TXT"), "OUT", 1);
    const char* texts[] = {"ON", "OFF", "idle", "run"};
    for (int i = 0; i < 64; ++i) {
      b.AddRow(1000 + i * 7, flag, b.Value(texts[i % 2], base::DeclaredType::kInfer));
      b.AddRow(1000 + i * 5, num,
               b.Value(std::to_string(i % 9) + ".5", base::DeclaredType::kInfer));
      b.AddRow(1000 + i * 11, txt, b.Value(texts[2 + i % 2], base::DeclaredType::kInfer));
    }
    b.AddError(0, 4, "bad timestamp", "garbage");
    const std::string path = Dir() + "/seed.store";
    if (!b.Finish(path).ok()) std::abort();
    auto s = base::ReadFileToString(path);
    if (!s.ok()) std::abort();
    return *s;
  }();
  return bytes;
}

void Reseal(std::string& bytes) {
  using store::FileHeader;
  using store::SectionEntry;
  if (bytes.size() < sizeof(FileHeader)) return;
  FileHeader h;
  std::memcpy(&h, bytes.data(), sizeof h);
  if (h.section_table_offset > bytes.size() ||
      (bytes.size() - h.section_table_offset) / sizeof(SectionEntry) < h.section_count) {
    return;
  }
  char* table = bytes.data() + h.section_table_offset;
  for (uint32_t i = 0; i < h.section_count; ++i) {
    SectionEntry e;
    std::memcpy(&e, table + i * sizeof e, sizeof e);
    if (e.offset > bytes.size() || e.length > bytes.size() - e.offset) continue;
    e.checksum = XXH3_64bits(bytes.data() + e.offset, e.length);
    std::memcpy(table + i * sizeof e, &e, sizeof e);
  }
  h.table_checksum = XXH3_64bits(table, h.section_count * sizeof(SectionEntry));
  h.header_checksum = 0;
  h.header_checksum = XXH3_64bits(&h, sizeof h);
  std::memcpy(bytes.data(), &h, sizeof h);
}

void RunQueries(const std::shared_ptr<const store::Store>& s) {
  query::Session session(s);
  std::vector<std::string> keys;
  for (auto k : session.SignalKeys()) keys.emplace_back(k);
  keys.push_back("FLAG");
  const int64_t lo = session.min_ts(), hi = session.max_ts();
  query::Filter filters[3];
  filters[1].search = "o";
  filters[1].changed_only = true;
  filters[1].categories = {"IN", ""};
  filters[2].search = "^[a-z]+$";
  filters[2].regex = true;
  filters[2].signals = keys;
  filters[2].start_ns = lo + 10;
  filters[2].end_ns = hi - 10;
  filters[2].types = {base::ValueType::kBoolean, base::ValueType::kString};
  filters[2].devices = {"DEV-1"};
  for (const auto& f : filters) {
    for (int field = 0; field <= static_cast<int>(query::SortField::kType); ++field) {
      for (bool desc : {false, true}) {
        query::EntriesQuery q;
        q.filter = f;
        q.sort = {static_cast<query::SortField>(field), desc};
        q.page_size = 50;
        (void)session.Entries(q);
        (void)session.IndexOfTime(f, q.sort, (lo + hi) / 2);
      }
    }
    (void)session.Count(f);
    (void)session.TimeTree(f);
    query::ExportQuery e;
    e.filter = f;
    e.source_ids = {"a", "b"};
    for (auto fmt : {query::ExportFormat::kCsv, query::ExportFormat::kJsonLines}) {
      e.format = fmt;
      (void)session.Export(e, [](std::string_view) { return true; });
    }
  }
  (void)session.Chunk({keys, lo, hi, 1000});
  (void)session.Boundaries({keys, lo + 3, hi - 3});
  (void)session.AtTime({{}, (lo + hi) / 2});
  (void)session.AtTime({keys, lo});
  for (uint32_t width : {1u, 7u, 300u}) {
    query::WaveformQuery w;
    w.signals = keys;
    w.start_ns = lo;
    w.end_ns = hi;
    w.width = width;
    (void)session.Waveform(w);
    w.changes_per_pixel = 0;
    (void)session.Waveform(w);
  }
  std::vector<query::TransitionRule> rules(3);
  rules[0].type = query::RuleType::kAToB;
  rules[0].start = {"DEV-1::FLAG", query::ConditionOp::kEquals, "true"};
  rules[0].end = {"DEV-1::FLAG", query::ConditionOp::kEquals, "false"};
  rules[0].target_ms = 0.001;
  rules[1].type = query::RuleType::kCycle;
  rules[1].start = {"NUM", query::ConditionOp::kGreater, "3"};
  rules[2].type = query::RuleType::kValuePopulated;
  rules[2].start = {"TXT", query::ConditionOp::kNotEmpty, ""};
  (void)session.Transitions(rules);
  (void)session.Devices();
  (void)session.Categories();
  (void)session.Errors(1, 10);
  (void)s->LoadErrors();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  std::string bytes;
  if (mode & 1) {
    bytes.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  } else {
    bytes = SeedStore();
    for (size_t i = 1; i + 5 <= size; i += 5) {
      uint32_t off;
      std::memcpy(&off, data + i, 4);
      bytes[off % bytes.size()] ^= static_cast<char>(data[i + 4]);
    }
    if (mode & 2) Reseal(bytes);
  }
  const std::string path = Dir() + "/input.store";
  // A plain write: no fsync per input (base::WriteFileAtomic's would cap the
  // fuzzer at a few runs a second).
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !written) return 0;
  auto s = store::Store::Open(path);
  if (s.ok()) RunQueries(*s);
  return 0;
}
