#include "ingest/chunk_parser.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

namespace plcscope::ingest {

void ParsedChunk::Clear() {
  new_streams.clear();
  new_values.clear();
  first_new_stream = first_new_value = 0;
  rows.clear();
  errors.clear();
  more_errors.clear();
  physical_lines = nonblank_lines = error_count = raw_end = 0;
}

namespace {
Hash128 ToHash(XXH128_hash_t h) { return {h.low64, h.high64}; }
}  // namespace

// Pieces are chained through the seed, so ("ab", "c") and ("a", "bc") differ.
Hash128 HashStreamKey(std::string_view device, std::string_view path, std::string_view signal,
                      std::string_view category) {
  XXH128_hash_t h = XXH3_128bits(device.data(), device.size());
  h = XXH3_128bits_withSeed(path.data(), path.size(), h.low64 ^ h.high64);
  h = XXH3_128bits_withSeed(signal.data(), signal.size(), h.low64 + 0x51);
  h = XXH3_128bits_withSeed(category.data(), category.size(), h.high64 - 0xca7);
  return ToHash(h);
}

Hash128 HashValueKey(std::string_view text, base::DeclaredType declared) {
  return ToHash(
      XXH3_128bits_withSeed(text.data(), text.size(), static_cast<uint64_t>(declared) + 1));
}

bool IsBlankLine(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\v' && c != '\f') return false;
  }
  return true;
}

namespace {

// Receives one line's samples and errors into the chunk's tables.
class ChunkSink final : public SampleSink {
 public:
  ChunkSink(ParseContext* ctx, ParsedChunk* out) : ctx_(ctx), out_(out) {}

  void SetLine(uint64_t line, std::string_view text) {
    line_ = line;
    text_ = text;
  }

  void OnSample(const Sample& s) override {
    out_->rows.push_back({s.ts_ns, StreamId(s), ValueId(s.value, s.declared)});
  }

  void OnError(std::string_view reason) override { AddError(out_, line_, reason, text_); }

  static void AddError(ParsedChunk* out, uint64_t line, std::string_view reason,
                       std::string_view content) {
    ++out->error_count;
    if (out->errors.size() < kErrorDetailsPerChunk) {
      out->errors.push_back({line, reason, std::string(content.substr(0, kErrorContentBytes))});
      return;
    }
    for (auto& [r, n] : out->more_errors) {
      if (r == reason) {
        ++n;
        return;
      }
    }
    out->more_errors.emplace_back(reason, 1);
  }

 private:
  // The key's hash. When all four fields lie in the line (plc_debug, most
  // formats), one hash over the bytes that span them plus the fields'
  // positions identifies the key; otherwise the fields are hashed in turn.
  // The two ways may give one key two hashes; the builder merges such keys
  // by their text, so that only costs a table entry.
  static constexpr size_t kMaxStreamGap = 32;
  Hash128 StreamHash(const Sample& s) const {
    const std::string_view fields[4] = {s.device, s.path, s.signal, s.category};
    const char* lb = text_.data();
    const char* le = lb + text_.size();
    const char* b = le;
    const char* e = lb;
    for (const auto& f : fields) {
      if (f.empty()) continue;
      if (f.data() < lb || f.data() + f.size() > le) {
        return HashStreamKey(s.device, s.path, s.signal, s.category);
      }
      b = std::min(b, f.data());
      e = std::max(e, f.data() + f.size());
    }
    if (b >= e) return HashStreamKey(s.device, s.path, s.signal, s.category);
    // Only when the fields are close together (plc_debug: "] [" between
    // them): in mcs the ID opens the line and the key sits in a later group,
    // so the span would hold other groups' values and give one stream a new
    // hash on almost every line (issue 17: 1.5 GB of key tables for 12 M
    // lines).
    size_t field_bytes = 0;
    for (const auto& f : fields) field_bytes += f.size();
    if (static_cast<size_t>(e - b) > field_bytes + kMaxStreamGap) {
      return HashStreamKey(s.device, s.path, s.signal, s.category);
    }
    uint32_t shape[8];
    for (int i = 0; i < 4; ++i) {
      shape[2 * i] = fields[i].empty() ? 0 : static_cast<uint32_t>(fields[i].data() - b);
      shape[2 * i + 1] = static_cast<uint32_t>(fields[i].size());
    }
    const XXH128_hash_t h =
        XXH3_128bits_withSeed(b, static_cast<size_t>(e - b), XXH3_64bits(shape, sizeof shape));
    return {h.low64, h.high64};
  }

  uint32_t StreamId(const Sample& s) {
    const Hash128 h = StreamHash(s);
    uint32_t id = ctx_->streams.Find(h);
    if (id != KeyTable::kNone) return id;
    id = ctx_->stream_count++;
    Arena& a = ctx_->arena;
    out_->new_streams.push_back(
        {h, a.Copy(s.device), a.Copy(s.path), a.Copy(s.signal), a.Copy(s.category)});
    ctx_->streams.Insert(h, id);
    return id;
  }

  uint32_t ValueId(std::string_view text, base::DeclaredType declared) {
    const Hash128 h = HashValueKey(text, declared);
    uint32_t id = ctx_->values.Find(h);
    if (id != KeyTable::kNone) return id;
    id = ctx_->value_count++;
    out_->new_values.push_back({h, ctx_->arena.Copy(text), declared});
    ctx_->values.Insert(h, id);
    return id;
  }

  ParseContext* ctx_;
  ParsedChunk* out_;
  uint64_t line_ = 0;
  std::string_view text_;
};

}  // namespace

void ParseChunk(Format format, const Chunk& chunk, uint64_t skip_line, ParseContext* context,
                uint32_t context_index, ParsedChunk* out) {
  out->Clear();
  out->raw_end = chunk.raw_end;
  out->context = context_index;
  out->first_new_stream = context->stream_count;
  out->first_new_value = context->value_count;
  ChunkSink sink(context, out);
  uint64_t line_no = 0;
  if (chunk.has_overlong_prefix) {
    line_no = 1;
    ++out->nonblank_lines;
    ChunkSink::AddError(out, line_no, "line too long", chunk.overlong_prefix);
  }
  const char* p = chunk.buf.get();
  const char* end = p + chunk.size;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
    const char* line_end = nl ? nl : end;
    std::string_view line(p, line_end - p);
    p = nl ? nl + 1 : end;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || (static_cast<unsigned char>(line[0]) <= ' ' && IsBlankLine(line))) {
      continue;
    }
    ++out->nonblank_lines;
    if (line_no == skip_line) continue;
    if (line.size() > kMaxLineBytes) {
      ChunkSink::AddError(out, line_no, "line too long", line);
      continue;
    }
    sink.SetLine(line_no, line);
    ParseLine(format, line, sink);
  }
  out->physical_lines = line_no;
}

}  // namespace plcscope::ingest
