#include "ingest/committer.h"

namespace plcscope::ingest {

void ChunkCommitter::BeginSource(uint32_t source) {
  source_ = source;
  physical_lines_ = nonblank_lines_ = samples_ = errors_ = 0;
}

uint32_t ChunkCommitter::GlobalStream(const LocalStream& s) {
  const uint64_t h = s.hash ^ (static_cast<uint64_t>(source_) * 0x9E3779B97F4A7C15ull);
  uint32_t i = stream_index_.Find(h, [&](uint32_t id) {
    const StreamEntry& e = streams_[id];
    return e.source == source_ && e.device == s.device && e.signal == s.signal &&
           e.category == s.category && e.path == s.path;
  });
  if (i != IdTable::kNone) return streams_[i].global;
  const uint32_t device = builder_->Device(s.device, s.path);
  const uint32_t signal = builder_->Signal(device, s.signal);
  const uint32_t global = builder_->Stream(signal, s.category, source_);
  streams_.push_back({arena_.Copy(s.device), arena_.Copy(s.path), arena_.Copy(s.signal),
                      arena_.Copy(s.category), source_, global});
  stream_index_.Insert(h, static_cast<uint32_t>(streams_.size() - 1));
  return global;
}

uint32_t ChunkCommitter::GlobalValue(const LocalValue& v) {
  uint32_t i = value_index_.Find(v.hash, [&](uint32_t id) {
    return values_[id].declared == v.declared && values_[id].text == v.text;
  });
  if (i != IdTable::kNone) return values_[i].global;
  const uint32_t global = builder_->Value(v.text, v.declared);
  values_.push_back({arena_.Copy(v.text), v.declared, global});
  value_index_.Insert(v.hash, static_cast<uint32_t>(values_.size() - 1));
  return global;
}

void ChunkCommitter::Commit(const ParsedChunk& chunk) {
  stream_map_.resize(chunk.streams.size());
  for (size_t i = 0; i < chunk.streams.size(); ++i) stream_map_[i] = GlobalStream(chunk.streams[i]);
  value_map_.resize(chunk.values.size());
  for (size_t i = 0; i < chunk.values.size(); ++i) value_map_[i] = GlobalValue(chunk.values[i]);
  const uint32_t* smap = stream_map_.data();
  const uint32_t* vmap = value_map_.data();
  for (const LocalRow& r : chunk.rows) builder_->AddRow(r.ts, smap[r.stream], vmap[r.value]);
  for (const ChunkError& e : chunk.errors) {
    builder_->AddError(source_, physical_lines_ + e.line, e.reason, e.content);
  }
  for (const auto& [reason, n] : chunk.more_errors) builder_->CountErrors(reason, n);
  physical_lines_ += chunk.physical_lines;
  nonblank_lines_ += chunk.nonblank_lines;
  samples_ += chunk.rows.size();
  errors_ += chunk.error_count;
}

}  // namespace plcscope::ingest
