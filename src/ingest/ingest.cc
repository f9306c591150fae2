// IngestToStore: the parallel chunk driver. Per input file: open (plain,
// gzip, zstd), detect the format from the first non-blank lines, then a
// pipeline: this thread cuts chunks and commits parsed chunks in order,
// the pool parses them. At most threads + 2 chunks are in flight, so
// memory does not grow with the file (except the builder's rows).
#include "ingest/ingest.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>

#include "base/mapped_file.h"
#include "base/thread_pool.h"
#include "ingest/chunk_parser.h"
#include "ingest/chunker.h"
#include "ingest/committer.h"
#include "ingest/formats/detect.h"
#include "ingest/input_reader.h"
#include "store/session_builder.h"

namespace plcscope::ingest {
namespace {

struct Slot {
  Chunk chunk;
  ParsedChunk parsed;
  uint64_t skip_line = 0;
  std::future<void> done;
};

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Chunk size: a few MB, smaller for small inputs so progress stays fine.
size_t ChunkBytes(uint64_t total) {
  const uint64_t want = total / 64;
  return static_cast<size_t>(std::clamp<uint64_t>(want, 2 << 20, 8 << 20));
}

class Driver {
 public:
  Driver(const IngestOptions& options, store::SessionBuilder* builder, uint64_t bytes_total)
      : options_(options),
        builder_(builder),
        committer_(builder),
        pool_(options.threads > 0 ? options.threads : base::ThreadPool::HardwareThreads()),
        chunk_bytes_(ChunkBytes(bytes_total)) {
    progress_.bytes_total = bytes_total;
  }

  base::Status IngestFile(uint32_t source, const InputFile& input, store::InputFileMeta* meta);
  void Report(double percent_override = -1);

 private:
  bool Cancelled() const { return options_.cancel != nullptr && options_.cancel->load(); }
  std::unique_ptr<Slot> TakeSlot();
  base::Status Detect(const std::vector<std::unique_ptr<Slot>>& head, Format* format, bool* empty,
                      const std::string& name);
  void Submit(Format format, Slot* slot);
  void ResetContexts();
  void CommitFront(std::deque<std::unique_ptr<Slot>>* in_flight, uint64_t bytes_before);

  const IngestOptions& options_;
  store::SessionBuilder* builder_;
  ChunkCommitter committer_;
  base::ThreadPool pool_;
  size_t chunk_bytes_;
  std::vector<std::unique_ptr<Slot>> free_slots_;
  // Parse contexts of the current file. Chunk i uses context i % K, after
  // chunk i - K is done with it, so each context sees its chunks in input
  // order (what the committer relies on) however the pool schedules them.
  struct ContextSlot {
    ParseContext context;
    std::mutex mu;
    std::condition_variable cv;
    uint64_t next_chunk = 0;
  };
  std::vector<std::unique_ptr<ContextSlot>> contexts_;
  Progress progress_;
  double last_reported_ = -100;
};

std::unique_ptr<Slot> Driver::TakeSlot() {
  if (free_slots_.empty()) return std::make_unique<Slot>();
  auto s = std::move(free_slots_.back());
  free_slots_.pop_back();
  s->skip_line = 0;
  return s;
}

void Driver::Report(double percent_override) {
  if (!options_.on_progress) return;
  Progress p = progress_;
  if (percent_override >= 0) {
    p.percent = percent_override;
  } else {
    // Reserve the last percent for writing the store.
    p.percent = p.bytes_total ? 99.0 * static_cast<double>(p.bytes_done) / p.bytes_total : 99.0;
    if (p.percent - last_reported_ < 0.5) return;
  }
  last_reported_ = p.percent;
  options_.on_progress(p);
}

// Detection (docs/formats.md §1) from the first non-blank lines of the first chunks.
base::Status Driver::Detect(const std::vector<std::unique_ptr<Slot>>& head, Format* format,
                            bool* empty, const std::string& name) {
  std::vector<std::string_view> lines;
  bool first_found = false;
  // The non-blank line after the first (a header is skipped only before
  // data); an overlong line is there as an empty view (not data).
  std::optional<std::string_view> next_line;
  for (size_t c = 0; c < head.size() && static_cast<int>(lines.size()) < kDetectLines; ++c) {
    const Chunk& chunk = head[c]->chunk;
    uint64_t local = 0;
    if (chunk.has_overlong_prefix) {
      ++local;
      if (first_found && !next_line) next_line = std::string_view();
      first_found = true;  // an overlong first line is never a header
    }
    std::string_view data = chunk.data();
    while (!data.empty() && static_cast<int>(lines.size()) < kDetectLines) {
      size_t nl = data.find('\n');
      std::string_view line = data.substr(0, nl);
      data = nl == std::string_view::npos ? std::string_view() : data.substr(nl + 1);
      ++local;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || IsBlankLine(line)) continue;
      if (line.size() > kMaxLineBytes) {
        if (first_found && !next_line) next_line = std::string_view();
        continue;
      }
      if (first_found && !next_line) next_line = line;
      lines.push_back(line);
      if (!first_found) {
        first_found = true;
        head[c]->skip_line = local;  // provisional; cleared below unless a header
      }
    }
  }
  *empty = lines.empty();
  if (options_.format.has_value()) {
    *format = *options_.format;
  } else if (!lines.empty()) {
    auto detected = DetectFormat(lines);
    if (!detected.ok()) {
      return base::Status(detected.status().code(), name + ": " + detected.status().message());
    }
    *format = *detected;
  }
  for (const auto& slot : head) {
    if (slot->skip_line != 0) {
      std::string_view data = slot->chunk.data();
      uint64_t local = slot->chunk.has_overlong_prefix ? 1 : 0;
      std::string_view line;
      while (local < slot->skip_line) {
        size_t nl = data.find('\n');
        line = data.substr(0, nl);
        data = nl == std::string_view::npos ? std::string_view() : data.substr(nl + 1);
        ++local;
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (*empty || !IsHeaderLine(*format, line, next_line)) slot->skip_line = 0;
    }
  }
  return base::Status::Ok();
}

void Driver::ResetContexts() {
  contexts_.clear();
  for (int i = 0; i < pool_.size(); ++i) {
    contexts_.push_back(std::make_unique<ContextSlot>());
    contexts_.back()->next_chunk = static_cast<uint64_t>(i);
  }
}

void Driver::Submit(Format format, Slot* slot) {
  const uint64_t k = contexts_.size();
  const uint64_t seq = slot->chunk.index;
  ContextSlot* cs = contexts_[seq % k].get();
  slot->done = pool_.Submit([format, slot, cs, seq, k] {
    {
      std::unique_lock<std::mutex> lock(cs->mu);
      cs->cv.wait(lock, [&] { return cs->next_chunk == seq; });
    }
    ParseChunk(format, slot->chunk, slot->skip_line, &cs->context, static_cast<uint32_t>(seq % k),
               &slot->parsed);
    {
      std::lock_guard<std::mutex> lock(cs->mu);
      cs->next_chunk = seq + k;
    }
    cs->cv.notify_all();
  });
}

void Driver::CommitFront(std::deque<std::unique_ptr<Slot>>* in_flight, uint64_t bytes_before) {
  std::unique_ptr<Slot> slot = std::move(in_flight->front());
  in_flight->pop_front();
  slot->done.get();
  committer_.Commit(slot->parsed);
  progress_.bytes_done = bytes_before + slot->parsed.raw_end;
  progress_.rows = builder_->row_count();
  Report();
  free_slots_.push_back(std::move(slot));
}

base::Status Driver::IngestFile(uint32_t source, const InputFile& input,
                                store::InputFileMeta* meta) {
  auto reader_or = InputReader::Open(input.path);
  if (!reader_or.ok()) return reader_or.status();
  InputReader& reader = **reader_or;
  const std::string name = input.name.empty() ? BaseName(input.path) : input.name;
  const uint64_t bytes_before = progress_.bytes_done;
  Chunker chunker(&reader, chunk_bytes_);
  ResetContexts();
  committer_.BeginSource(source, contexts_.size());

  // Read ahead until 10 non-blank lines are seen (usually one chunk).
  std::vector<std::unique_ptr<Slot>> head;
  size_t head_lines = 0;
  for (;;) {
    auto slot = TakeSlot();
    auto more = chunker.Next(&slot->chunk);
    if (!more.ok()) return more.status();
    if (!*more) {
      free_slots_.push_back(std::move(slot));
      break;
    }
    std::string_view d = slot->chunk.data();
    head_lines += static_cast<size_t>(std::count(d.begin(), d.end(), '\n'));
    head.push_back(std::move(slot));
    if (head_lines >= 64 || Cancelled()) break;
  }
  Format format = Format::kPlcDebug;
  bool empty = true;
  PLCSCOPE_RETURN_IF_ERROR(Detect(head, &format, &empty, name));

  std::deque<std::unique_ptr<Slot>> in_flight;
  const size_t max_in_flight = static_cast<size_t>(pool_.size()) + 2;
  for (auto& slot : head) {
    Submit(format, slot.get());
    in_flight.push_back(std::move(slot));
    while (in_flight.size() > max_in_flight) CommitFront(&in_flight, bytes_before);
  }
  for (;;) {
    if (Cancelled()) {
      while (!in_flight.empty()) {
        in_flight.front()->done.wait();
        in_flight.pop_front();
      }
      return base::IoError("ingest cancelled");
    }
    auto slot = TakeSlot();
    auto more = chunker.Next(&slot->chunk);
    if (!more.ok()) {
      while (!in_flight.empty()) {
        in_flight.front()->done.wait();
        in_flight.pop_front();
      }
      return more.status();
    }
    if (!*more) {
      free_slots_.push_back(std::move(slot));
      break;
    }
    Submit(format, slot.get());
    in_flight.push_back(std::move(slot));
    while (in_flight.size() >= max_in_flight) CommitFront(&in_flight, bytes_before);
  }
  while (!in_flight.empty()) CommitFront(&in_flight, bytes_before);

  if (!reader.damage().empty()) {
    if (chunker.content_bytes() == 0) {
      return base::IoError(name + ": " + std::string(reader.damage()) + ", nothing could be read");
    }
    builder_->AddError(source, committer_.lines() + 1, reader.damage(), "");
  }
  meta->name = name;
  meta->path = input.path;
  meta->size = reader.file_size();
  meta->mtime_ns = reader.mtime_ns();
  meta->hash = reader.hash();
  meta->format = empty && !options_.format ? "" : FormatName(format);
  meta->lines = committer_.nonblank_lines();
  meta->samples = committer_.samples();
  meta->error_count = committer_.errors() + (reader.damage().empty() ? 0 : 1);
  meta->bytes_read = chunker.content_bytes();
  progress_.bytes_done = bytes_before + reader.file_size();
  return base::Status::Ok();
}

}  // namespace

base::Result<store::SessionMeta> IngestToStore(const std::vector<InputFile>& inputs,
                                               const IngestOptions& options,
                                               const std::string& store_path) {
  const auto start = std::chrono::steady_clock::now();
  if (inputs.empty()) return base::InvalidArgument("no input files");
  uint64_t bytes_total = 0;
  for (const auto& in : inputs) {
    auto st = base::StatFile(in.path);
    if (!st.ok()) return st.status();
    bytes_total += st->size;
  }
  store::BuildOptions build;
  build.dedup_tolerance_ms = options.dedup_tolerance_ms;
  // Spilled rows go next to the store (same disk; /tmp may live in RAM).
  const size_t slash = store_path.find_last_of('/');
  build.spill_dir = slash == std::string::npos ? "." : store_path.substr(0, slash);
  auto builder = std::make_unique<store::SessionBuilder>(build);
  std::vector<store::InputFileMeta> files(inputs.size());
  {
    Driver driver(options, builder.get(), bytes_total);
    driver.Report(0);
    for (size_t i = 0; i < inputs.size(); ++i) {
      PLCSCOPE_RETURN_IF_ERROR(driver.IngestFile(static_cast<uint32_t>(i), inputs[i], &files[i]));
    }
  }
  std::string parser;
  for (const auto& f : files) {
    if (f.format.empty()) continue;
    if (parser.empty()) {
      parser = f.format;
    } else if (parser != f.format) {
      parser = "mixed";
    }
  }
  store::SessionMeta& built = builder->meta();
  built.parser_name = parser;
  built.files = std::move(files);
  built.processing_time_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  base::Status finished = builder->Finish(store_path);
  store::SessionMeta meta = std::move(built);
  builder.reset();  // its dictionaries and buffers go now
  // Hand the freed heap back to the system: the ingest's large buffers were
  // freed inside glibc's arenas, which otherwise keep them resident while
  // the caller opens (and validates) the store just written.
  ::malloc_trim(0);
  PLCSCOPE_RETURN_IF_ERROR(finished);
  if (options.on_progress) {
    Progress done;
    done.bytes_total = done.bytes_done = bytes_total;
    done.rows = meta.row_count;
    done.percent = 100;
    options.on_progress(done);
  }
  return meta;
}

}  // namespace plcscope::ingest
