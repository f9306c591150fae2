#include "ingest/committer.h"

namespace plcscope::ingest {

void ChunkCommitter::BeginSource(uint32_t source, size_t contexts) {
  source_ = source;
  physical_lines_ = nonblank_lines_ = samples_ = errors_ = 0;
  contexts_.assign(contexts, {});
}

uint32_t ChunkCommitter::GlobalStream(const LocalStream& s) {
  Hash128 h = s.hash;
  h.hi ^= static_cast<uint64_t>(source_) * 0x9E3779B97F4A7C15ull;
  uint32_t i = streams_.Find(h);
  if (i != KeyTable::kNone) return stream_global_[i];
  const uint32_t device = builder_->Device(s.device, s.path);
  const uint32_t signal = builder_->Signal(device, s.signal);
  const uint32_t global = builder_->Stream(signal, s.category, source_);
  streams_.Insert(h, static_cast<uint32_t>(stream_global_.size()));
  stream_global_.push_back(global);
  return global;
}

uint32_t ChunkCommitter::GlobalValue(const LocalValue& v) {
  uint32_t i = values_.Find(v.hash);
  if (i != KeyTable::kNone) return value_global_[i];
  const uint32_t global = builder_->Value(v.text, v.declared);
  values_.Insert(v.hash, static_cast<uint32_t>(value_global_.size()));
  value_global_.push_back(global);
  return global;
}

void ChunkCommitter::Commit(const ParsedChunk& chunk) {
  ContextMaps& maps = contexts_[chunk.context];
  // Contexts hand out ids in order and their chunks arrive in order.
  maps.streams.resize(chunk.first_new_stream);
  for (const LocalStream& s : chunk.new_streams) maps.streams.push_back(GlobalStream(s));
  maps.values.resize(chunk.first_new_value);
  for (const LocalValue& v : chunk.new_values) maps.values.push_back(GlobalValue(v));
  const uint32_t* smap = maps.streams.data();
  const uint32_t* vmap = maps.values.data();
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
