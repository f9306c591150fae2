#include "http/json_writer.h"

#include <charconv>
#include <cmath>

#include "query/value_format.h"

namespace plcscope::http {

// One escaper for the whole server: the query engine's (invalid UTF-8 bytes
// become U+FFFD, control bytes \u00XX).
void AppendJsonString(std::string* out, std::string_view s) { query::AppendJsonString(s, out); }

void AppendJsonDouble(std::string* out, double v) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  // Whole numbers (integer signals, ms timestamps) take the integer path,
  // several times faster than the shortest-double search.
  if (v > -9.0e15 && v < 9.0e15) {
    const auto i = static_cast<int64_t>(v);
    if (static_cast<double>(i) == v && !(i == 0 && std::signbit(v))) {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, i);
      out->append(buf, r.ptr);
      return;
    }
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

void AppendJsonUint(std::string* out, uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (first_.empty()) return;
  if (first_.back()) {
    first_.back() = false;
  } else {
    out_->push_back(',');
  }
}

JsonWriter& JsonWriter::Open(char c) {
  Separate();
  out_->push_back(c);
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::Close(char c) {
  out_->push_back(c);
  if (!first_.empty()) first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  Separate();
  AppendJsonString(out_, key);
  out_->push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  Separate();
  AppendJsonString(out_, s);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  Separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_->append(buf, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::Uint(uint64_t v) {
  Separate();
  AppendJsonUint(out_, v);
  return *this;
}

JsonWriter& JsonWriter::Double(double v) {
  Separate();
  AppendJsonDouble(out_, v);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  Separate();
  out_->append(v ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_->append("null");
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  Separate();
  out_->append(json);
  return *this;
}

}  // namespace plcscope::http
