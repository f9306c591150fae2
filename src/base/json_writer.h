// The one hot-path JSON emitter of every layer: JsonWriter appends JSON text
// to a caller's std::string (entry pages, chunks, waveforms, streams, exports,
// error bodies), and the Append* primitives below write one value each for
// fixed-shape records (compat Entry objects, dump lines) and long columns.
// Numbers go through std::to_chars; strings are escaped byte by byte, invalid
// UTF-8 becoming U+FFFD (base/utf8.h), so the output is valid JSON for any
// bytes. Cold JSON (request bodies, small documents) uses nlohmann instead.
// Pure functions; a JsonWriter is not thread-safe (one writer per response).
// Every Append* takes its inputs first and `out` last.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plcscope::base {

// A JSON string literal with quotes: ", \ and control bytes escaped (\n \r \t
// or \u00XX), invalid UTF-8 bytes as U+FFFD, one per byte.
void AppendJsonString(std::string_view s, std::string* out);

// A JSON number; non-finite values as null. Whole numbers (integer signals,
// ms timestamps) are written as integers ("1000000"), several times faster
// than the shortest-double search; other values in their shortest round-trip
// form ("0.1").
void AppendJsonDouble(double v, std::string* out);

// std::to_chars' shortest round-trip form of `v`, exactly ("1e+06", "0.1",
// "inf"): the text of stored float values in search, CSV and Entry JSON. The
// caller handles non-finite values when it writes JSON.
void AppendShortestDouble(double v, std::string* out);

void AppendJsonInt(int64_t v, std::string* out);
void AppendJsonUint(uint64_t v, std::string* out);

// Appends "[e0,e1,...]" where element(i, out) appends item i: the fast path
// for long columns (no per-element bookkeeping).
template <typename F>
void AppendJsonArray(size_t n, std::string* out, F&& element) {
  out->push_back('[');
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out->push_back(',');
    element(i, out);
  }
  out->push_back(']');
}

// Nested objects and arrays with commas managed by a small nesting stack.
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
  JsonWriter& Double(double v);  // AppendJsonDouble: NaN and infinities become null.
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

}  // namespace plcscope::base
