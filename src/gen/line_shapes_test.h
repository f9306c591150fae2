// Structural checks of generated lines against docs/formats.md, for the
// generator's tests (the real parsers live in src/ingest). Each returns an
// empty string when the line has the format's shape, else what is wrong.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plcscope::gen::testing {

// Splits `text` into lines (without '\n'); the text must end with '\n'.
std::vector<std::string_view> Lines(std::string_view text);

// The device a parser extracts from a path (docs/formats.md §1), or "" if none.
std::string_view DeviceFromPath(std::string_view path);

struct DebugLine {
  std::string_view ts, level, path, category, signal, dtype, value;
};
// plc_debug: TIMESTAMP [LEVEL] [PATH] [CATEGORY:SIGNAL] (DTYPE) : VALUE
std::string CheckPlcDebug(std::string_view line, DebugLine* out);
// plc_tab: TIMESTAMP [] PATH\tSIGNAL\tDIRECTION\tVALUE\t...
std::string CheckPlcTab(std::string_view line, std::string_view* device, std::string_view* signal,
                        std::string_view* value);
// mcs: TIMESTAMP [ACTION=ID1[, ID2]] [Key=Value], ...
std::string CheckMcs(std::string_view line, std::string_view* action, std::string_view* device);
// csv: TIMESTAMP,DEVICE_OR_PATH,SIGNAL,VALUE (value may be RFC 4180 quoted)
std::string CheckCsv(std::string_view line, std::string_view* device, std::string_view* signal,
                     std::string* value);

// True when `v` has docs/formats.md integer syntax (decimal only here).
bool IsInteger(std::string_view v);

}  // namespace plcscope::gen::testing
