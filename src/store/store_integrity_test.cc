// Store::Open proves a store before serving it: checksums of the header, the
// section table and each section, then ids and offsets (store_validate.cc).
#include <gtest/gtest.h>
#include <unistd.h>
#include <xxhash.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <string>

#include "base/mapped_file.h"
#include "store/session_builder.h"
#include "store/store.h"

namespace plcscope::store {
namespace {
namespace fs = std::filesystem;
using base::DeclaredType;

class IntegrityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("plcscope_integrity_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = (dir_ / "s.store").string();
    SessionBuilder b;
    b.meta().files.resize(1);
    const uint32_t dev = b.Device("DEV-1", "A/DEV-1");
    const uint32_t a = b.Stream(b.Signal(dev, "A"), "IN", 0);
    const uint32_t c = b.Stream(b.Signal(dev, "C"), "", 0);
    for (int i = 0; i < 100; ++i) {
      b.AddRow(i * 10, i % 3 ? a : c, b.Value(std::to_string(i % 7), DeclaredType::kInfer));
    }
    b.AddError(0, 3, "bad timestamp", "xx");
    ASSERT_TRUE(b.Finish(path_).ok());
    auto bytes = base::ReadFileToString(path_);
    ASSERT_TRUE(bytes.ok());
    good_ = *bytes;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The entry of section `id` in `bytes`.
  SectionEntry* Entry(std::string& bytes, SectionId id) {
    FileHeader h;
    std::memcpy(&h, bytes.data(), sizeof h);
    auto* table = reinterpret_cast<SectionEntry*>(bytes.data() + h.section_table_offset);
    for (uint32_t i = 0; i < h.section_count; ++i) {
      if (table[i].id == static_cast<uint32_t>(id)) return &table[i];
    }
    ADD_FAILURE() << "no section " << static_cast<int>(id);
    return nullptr;
  }
  // Recomputes every checksum, as a writer that wrote bad ids would have.
  static void Reseal(std::string& bytes) {
    FileHeader h;
    std::memcpy(&h, bytes.data(), sizeof h);
    auto* table = reinterpret_cast<SectionEntry*>(bytes.data() + h.section_table_offset);
    for (uint32_t i = 0; i < h.section_count; ++i) {
      if (table[i].offset > bytes.size() || table[i].length > bytes.size() - table[i].offset) {
        continue;  // out of bounds on purpose
      }
      table[i].checksum = XXH3_64bits(bytes.data() + table[i].offset, table[i].length);
    }
    h.table_checksum = XXH3_64bits(table, h.section_count * sizeof(SectionEntry));
    h.header_checksum = 0;
    h.header_checksum = XXH3_64bits(&h, sizeof h);
    std::memcpy(bytes.data(), &h, sizeof h);
  }
  // Opens `bytes` written as a store file.
  base::Status OpenBytes(const std::string& bytes) {
    const std::string p = (dir_ / "damaged.store").string();
    EXPECT_TRUE(base::WriteFileAtomic(p, bytes).ok());
    auto s = Store::Open(p);
    return s.ok() ? base::Status::Ok() : s.status();
  }
  // Edits a u32 field of record `index` in section `id`, reseals, opens.
  base::Status WithU32(SectionId id, size_t byte_offset, uint32_t value) {
    std::string bytes = good_;
    SectionEntry* e = Entry(bytes, id);
    if (e == nullptr) return base::Internal("no section");
    EXPECT_LE(byte_offset + 4, e->length);
    std::memcpy(bytes.data() + e->offset + byte_offset, &value, 4);
    Reseal(bytes);
    return OpenBytes(bytes);
  }
  template <typename T>
  base::Status WithValue(SectionId id, size_t byte_offset, T value) {
    std::string bytes = good_;
    SectionEntry* e = Entry(bytes, id);
    if (e == nullptr) return base::Internal("no section");
    EXPECT_LE(byte_offset + sizeof(T), e->length);
    std::memcpy(bytes.data() + e->offset + byte_offset, &value, sizeof(T));
    Reseal(bytes);
    return OpenBytes(bytes);
  }

  fs::path dir_;
  std::string path_;
  std::string good_;
};

void ExpectDamaged(const base::Status& st, const std::string& section) {
  ASSERT_FALSE(st.ok()) << "opened a damaged store (" << section << ")";
  EXPECT_EQ(st.code(), base::StatusCode::kCorrupt);
  EXPECT_NE(st.message().find("store damaged"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("'" + section + "'"), std::string::npos) << st.message();
}

TEST_F(IntegrityTest, GoodStoreOpensAndResealIsIdentity) {
  std::string bytes = good_;
  Reseal(bytes);
  EXPECT_EQ(bytes, good_);
  EXPECT_TRUE(OpenBytes(good_).ok());
}

TEST_F(IntegrityTest, OneFlippedBitInAnySectionIsNamed) {
  for (uint32_t id = 1; id <= 14; ++id) {
    std::string bytes = good_;
    SectionEntry* e = Entry(bytes, static_cast<SectionId>(id));
    ASSERT_NE(e, nullptr);
    if (e->length == 0) continue;
    bytes[e->offset + e->length / 2] ^= 0x10;
    SCOPED_TRACE(SectionName(id));
    ExpectDamaged(OpenBytes(bytes), SectionName(id));
  }
}

TEST_F(IntegrityTest, FlippedHeaderOrTableIsRefused) {
  std::string bytes = good_;
  bytes[20] ^= 1;  // row_count
  auto st = OpenBytes(bytes);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("header checksum"), std::string::npos) << st.message();
  bytes = good_;
  FileHeader h;
  std::memcpy(&h, bytes.data(), sizeof h);
  bytes[h.section_table_offset + 9] ^= 1;  // an offset
  st = OpenBytes(bytes);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("section table checksum"), std::string::npos) << st.message();
  EXPECT_FALSE(OpenBytes(good_.substr(0, good_.size() - 7)).ok());
}

TEST_F(IntegrityTest, OutOfRangeIdsWithValidChecksumsAreRefused) {
  ExpectDamaged(WithU32(SectionId::kRowStream, 4 * 5, 1000), "row_stream");
  ExpectDamaged(WithU32(SectionId::kRowValue, 4 * 7, 1000000), "row_value");
  ExpectDamaged(WithU32(SectionId::kStreams, 0, 99), "streams");        // signal
  ExpectDamaged(WithU32(SectionId::kStreams, 4, 1u << 30), "streams");  // category
  ExpectDamaged(WithU32(SectionId::kStreams, 8, 5), "streams");         // source
  ExpectDamaged(WithU32(SectionId::kSignals, 0, 1u << 30), "signals");  // key
  ExpectDamaged(WithU32(SectionId::kSignals, 4, 3), "signals");         // device
  ExpectDamaged(WithU32(SectionId::kSignals, 8, 1u << 30), "signals");  // name
  ExpectDamaged(WithU32(SectionId::kDevices, 0, 1u << 30), "devices");
  ExpectDamaged(WithU32(SectionId::kDevices, 4, 1u << 30), "devices");
  ExpectDamaged(WithU32(SectionId::kValues, 0, 1u << 30), "values");
  ExpectDamaged(WithU32(SectionId::kSignalRows, 4 * 3, 1000), "signal_rows");
  ExpectDamaged(WithU32(SectionId::kSignalRows, 0, 0), "signal_rows");  // row of signal C
  ExpectDamaged(WithU32(SectionId::kSignalRows, 4, 1), "signal_rows");  // not ascending
}

TEST_F(IntegrityTest, BrokenOffsetsAndOrdersAreRefused) {
  ExpectDamaged(WithValue<uint64_t>(SectionId::kStringOffsets, 0, 1), "string_offsets");
  ExpectDamaged(WithValue<uint64_t>(SectionId::kStringOffsets, 16, 1u << 30), "string_offsets");
  ExpectDamaged(WithValue<uint64_t>(SectionId::kSignalRowOffsets, 8, 1000), "signal_row_offsets");
  ExpectDamaged(WithValue<uint64_t>(SectionId::kSignalRowOffsets, 8, 0), "signal_rows");
  ExpectDamaged(WithValue<int64_t>(SectionId::kRowTime, 8 * 50, -5), "row_time");
  ExpectDamaged(WithValue<uint8_t>(SectionId::kSignals, 12, 9), "signals");  // type
  ExpectDamaged(WithValue<uint8_t>(SectionId::kValues, 4, 9), "values");     // kind
}

TEST_F(IntegrityTest, WrongLengthsAndBadJsonAreRefused) {
  // A row column one record short (the entry's length, resealed).
  std::string bytes = good_;
  Entry(bytes, SectionId::kRowValue)->length -= 4;
  Reseal(bytes);
  ExpectDamaged(OpenBytes(bytes), "row_value");
  bytes = good_;
  Entry(bytes, SectionId::kRowTime)->length -= 3;
  Reseal(bytes);
  ExpectDamaged(OpenBytes(bytes), "row_time");
  bytes = good_;
  Entry(bytes, SectionId::kRowChanged)->length -= 8;
  Reseal(bytes);
  ExpectDamaged(OpenBytes(bytes), "row_changed");
  // A section past the end of the file.
  bytes = good_;
  Entry(bytes, SectionId::kSignalRows)->length = 1ull << 40;
  Reseal(bytes);
  ExpectDamaged(OpenBytes(bytes), "signal_rows");
  // meta with a field of the wrong type must not throw.
  bytes = good_;
  SectionEntry* meta = Entry(bytes, SectionId::kMeta);
  std::string wrong = R"({"parserVersion":"two","rowCount":100,"errorCounts":{"x":"y"}})";
  ASSERT_LT(wrong.size(), meta->length);
  wrong.resize(meta->length, ' ');
  bytes.replace(meta->offset, meta->length, wrong);
  Reseal(bytes);
  ExpectDamaged(OpenBytes(bytes), "meta");
  // errors: an array of something else.
  bytes = good_;
  SectionEntry* errors = Entry(bytes, SectionId::kErrors);
  const std::string etext = bytes.substr(errors->offset, errors->length);
  std::string replacement(etext.size(), ' ');
  replacement[0] = '[';
  replacement[1] = '7';
  replacement[2] = ']';
  bytes.replace(errors->offset, errors->length, replacement);
  Reseal(bytes);
  ExpectDamaged(OpenBytes(bytes), "errors");
}

TEST_F(IntegrityTest, NoTemporaryFileIsLeftBehind) {
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_FALSE(base::IsTempName(e.path().filename().string())) << e.path();
  }
}

}  // namespace
}  // namespace plcscope::store
