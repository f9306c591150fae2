// The on-disk layout of a stored session (docs/store_format.md is the
// grammar; keep the two in step). Plain structs, read straight out of mmap.
//
// A store is one file: a header, sections at 64-byte aligned offsets, and a
// section table at the end. Rows are samples in time order (ties: source
// file, then line). All integers little-endian. Format 2 adds checksums:
// every section entry carries the XXH3-64 of its bytes, the header the
// XXH3-64 of the section table and of itself (store/store.cc verifies them
// and every id and offset on Open).
#pragma once

#include <cstdint>

namespace plcscope::store {

inline constexpr char kMagic[8] = {'P', 'L', 'C', 'S', 'T', 'O', 'R', 'E'};
inline constexpr uint32_t kFormatVersion = 2;
inline constexpr uint32_t kNoCategory = 0;  // string id 0 is always "".

enum class SectionId : uint32_t {
  kMeta = 1,               // JSON text: SessionMeta.
  kErrors = 2,             // JSON text: array of the first parse errors.
  kStringOffsets = 3,      // uint64[string_count + 1]
  kStringBytes = 4,        // bytes of every string, back to back.
  kDevices = 5,            // DeviceRecord[device_count]
  kSignals = 6,            // SignalRecord[signal_count], sorted by key text.
  kStreams = 7,            // StreamRecord[stream_count]
  kValues = 8,             // ValueRecord[value_count]
  kRowTime = 9,            // int64[row_count]: ns since epoch, non-decreasing.
  kRowStream = 10,         // uint32[row_count]: stream id.
  kRowValue = 11,          // uint32[row_count]: value id.
  kRowChanged = 12,        // uint64[(row_count + 63) / 64]: bit set when the row's value
                           // differs from its signal's previous row (first row: set).
  kSignalRowOffsets = 13,  // uint64[signal_count + 1]
  kSignalRows = 14,        // uint32[row_count]: rows of each signal, ascending.
};

struct FileHeader {
  char magic[8];
  uint32_t version;
  uint32_t section_count;
  uint64_t section_table_offset;
  uint64_t row_count;
  uint64_t table_checksum;   // XXH3-64 of the section table's bytes
  uint64_t header_checksum;  // XXH3-64 of these 64 bytes with this field 0
  uint64_t reserved[2];
};
static_assert(sizeof(FileHeader) == 64);

struct SectionEntry {
  uint32_t id;
  uint32_t reserved;
  uint64_t offset;
  uint64_t length;    // bytes
  uint64_t checksum;  // XXH3-64 of the section's `length` bytes
};
static_assert(sizeof(SectionEntry) == 32);

// The name of a section in messages ("row_value"); "unknown" for other ids.
const char* SectionName(uint32_t id);

struct DeviceRecord {
  uint32_t name;  // string id: "B1BCNV22905-121"
  uint32_t path;  // string id: the first full path seen for it.
};

struct SignalRecord {
  uint32_t key;     // string id: "device::signal"
  uint32_t device;  // device index
  uint32_t name;    // string id: "I_MOVE_IN"
  uint8_t type;     // base::ValueType, resolved over all of the signal's rows.
  uint8_t reserved[3];
};
static_assert(sizeof(SignalRecord) == 16);

// A stream is what one row carries besides time and value: its signal, its
// category and its source file. Rows point at streams to stay 16 bytes.
struct StreamRecord {
  uint32_t signal;    // signal index
  uint32_t category;  // string id; kNoCategory when none.
  uint32_t source;    // 0-based file index in the session.
};

// A distinct (text, declared type) value. The parsed kind and payload are as
// read; the signal's resolved type decides how it is shown (see Store).
struct ValueRecord {
  uint32_t text;  // string id of the trimmed original text.
  uint8_t kind;   // base::ValueType parsed from the text under its declaration.
  uint8_t reserved[3];
  int64_t bits;  // boolean 0/1, int64, or the double's bits; 0 for strings.
};
static_assert(sizeof(ValueRecord) == 16);

}  // namespace plcscope::store
