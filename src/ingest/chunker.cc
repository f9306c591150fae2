#include "ingest/chunker.h"

#include <cstring>

namespace plcscope::ingest {

Chunker::Chunker(InputReader* reader, size_t chunk_bytes)
    : reader_(reader), chunk_bytes_(chunk_bytes) {}

// Reads until the chunk is full or the input ends.
base::Status Chunker::Fill(Chunk* chunk) {
  while (!eof_ && chunk->size < chunk_bytes_) {
    auto n = reader_->Read(chunk->buf.get() + chunk->size, chunk_bytes_ - chunk->size);
    if (!n.ok()) return n.status();
    if (*n == 0) eof_ = true;
    chunk->size += *n;
    content_bytes_ += *n;
  }
  if (!started_ && (chunk->size >= 3 || eof_)) {
    started_ = true;
    if (chunk->size >= 3 && std::memcmp(chunk->buf.get(), "\xEF\xBB\xBF", 3) == 0) {
      std::memmove(chunk->buf.get(), chunk->buf.get() + 3, chunk->size - 3);
      chunk->size -= 3;
      return Fill(chunk);
    }
  }
  return base::Status::Ok();
}

base::Status Chunker::SkipOverlong(Chunk* chunk) {
  while (skipping_) {
    chunk->size = 0;
    PLCSCOPE_RETURN_IF_ERROR(Fill(chunk));
    const char* base = chunk->buf.get();
    const void* nl = std::memchr(base, '\n', chunk->size);
    if (nl != nullptr) {
      const size_t after = static_cast<const char*>(nl) - base + 1;
      std::memmove(chunk->buf.get(), base + after, chunk->size - after);
      chunk->size -= after;
    } else if (!eof_) {
      continue;
    } else {
      chunk->size = 0;
    }
    skipping_ = false;
    chunk->has_overlong_prefix = true;
    chunk->overlong_prefix = std::move(skip_head_);
    skip_head_.clear();
  }
  return base::Status::Ok();
}

base::Result<bool> Chunker::Next(Chunk* chunk) {
  if (chunk->capacity < chunk_bytes_) {
    chunk->buf.reset(new char[chunk_bytes_]);
    chunk->capacity = chunk_bytes_;
  }
  chunk->size = 0;
  chunk->has_overlong_prefix = false;
  chunk->overlong_prefix.clear();
  for (;;) {
    if (skipping_) {
      PLCSCOPE_RETURN_IF_ERROR(SkipOverlong(chunk));
    } else if (!carry_.empty()) {
      std::memcpy(chunk->buf.get(), carry_.data(), carry_.size());
      chunk->size = carry_.size();
      carry_.clear();
    }
    PLCSCOPE_RETURN_IF_ERROR(Fill(chunk));
    if (eof_) break;
    const char* base = chunk->buf.get();
    const void* nl = ::memrchr(base, '\n', chunk->size);
    if (nl == nullptr) {
      // A full buffer without a line end: an overlong line.
      skip_head_.assign(base, kErrorContentBytes);
      skipping_ = true;
      chunk->size = 0;
      if (chunk->has_overlong_prefix) break;  // emit the previous one first
      continue;
    }
    const size_t line_start = static_cast<const char*>(nl) - base + 1;
    const size_t tail = chunk->size - line_start;
    if (tail > kMaxLineBytes) {
      skip_head_.assign(base + line_start, kErrorContentBytes);
      skipping_ = true;
    } else {
      carry_.assign(base + line_start, tail);
    }
    chunk->size = line_start;
    break;
  }
  chunk->raw_end = reader_->raw_bytes();
  chunk->index = next_index_++;
  return chunk->size > 0 || chunk->has_overlong_prefix;
}

}  // namespace plcscope::ingest
