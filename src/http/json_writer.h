// JsonWriter: appends JSON text to a std::string, for the hot responses
// (entry pages, chunks, waveforms, streams, exports). Numbers go through
// std::to_chars, strings are escaped byte by byte with a fast path for plain
// ASCII. Commas are managed by a small nesting stack. Not thread-safe; one
// writer per response.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plcscope::http {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Uint(uint64_t v);
  JsonWriter& Double(double v);  // NaN and infinities become null.
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Appends already-encoded JSON as one value.
  JsonWriter& Raw(std::string_view json);

  // Shorthands for "key": value.
  JsonWriter& Field(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, const char* v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, int64_t v) { return Key(k).Int(v); }
  JsonWriter& Field(std::string_view k, uint64_t v) { return Key(k).Uint(v); }
  JsonWriter& Field(std::string_view k, int v) { return Key(k).Int(v); }
  JsonWriter& Field(std::string_view k, double v) { return Key(k).Double(v); }
  JsonWriter& Field(std::string_view k, bool v) { return Key(k).Bool(v); }

  std::string* out() { return out_; }

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void Separate();

  std::string* out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

// Appends `s` as a JSON string literal (with quotes).
void AppendJsonString(std::string* out, std::string_view s);
// Appends a number (non-finite doubles as null).
void AppendJsonDouble(std::string* out, double v);
void AppendJsonUint(std::string* out, uint64_t v);

// Appends "[e0,e1,...]" where element(i, out) appends item i: the fast path
// for long columns (no per-element bookkeeping).
template <typename F>
void AppendJsonArray(std::string* out, size_t n, F&& element) {
  out->push_back('[');
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out->push_back(',');
    element(i, out);
  }
  out->push_back(']');
}

}  // namespace plcscope::http
