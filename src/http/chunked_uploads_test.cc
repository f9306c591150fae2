#include "http/chunked_uploads.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/handler_util.h"
#include "http/test_compress.h"

namespace plcscope::http {
namespace {

namespace fs = std::filesystem;

int ThreadCount() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

// Collects SSE events.
class Collect : public StreamSink {
 public:
  bool Write(std::string_view d) override {
    if (d.rfind("data: ", 0) == 0) events.push_back(nlohmann::json::parse(d.substr(6)));
    return true;
  }
  std::vector<nlohmann::json> events;
};

class ChunkedUploadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("plcscope_chunks_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "tmp");
    auto reg = FileRegistry::Open(dir_.string());
    ASSERT_TRUE(reg.ok());
    files_ = std::move(*reg);
    chunks_ = std::make_unique<ChunkedUploads>(dir_.string(), files_.get(),
                                               UploadLimits{1ull << 30, 0}, 3600);
  }
  void TearDown() override {
    chunks_.reset();
    files_.reset();
    fs::remove_all(dir_);
  }
  void Save(const std::string& id, int64_t index, int64_t total, const std::string& bytes,
            bool compressed = false) {
    ApiError err;
    ASSERT_TRUE(chunks_->SaveChunk(id, index, total, bytes, compressed, &err)) << err.message;
  }
  // Runs the job to its end; returns its events.
  std::vector<nlohmann::json> Watch(const std::string& job_id) {
    std::atomic<bool> stopping{false};
    Collect sink;
    auto producer = WatchAsSse(chunks_->FindJob(job_id), &stopping);
    producer(sink);
    return sink.events;
  }
  std::optional<std::string> Complete(const std::string& id, int64_t total, ApiError* err,
                                      const std::string& encoding = "none") {
    CompleteRequest c;
    c.name = id + ".log";
    c.total_chunks = total;
    c.encoding = encoding;
    return chunks_->Complete(id, c, err);
  }
  int StoredFiles() const {
    int n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_ / "files")) ++n;
    return n;
  }

  fs::path dir_;
  std::unique_ptr<FileRegistry> files_;
  std::unique_ptr<ChunkedUploads> chunks_;
};

TEST_F(ChunkedUploadsTest, AssemblesInOrderWithStageProgressInEveryEvent) {
  Save("u", 1, 3, "bbb");
  Save("u", 0, 3, "aaa");
  Save("u", 2, 3, "cc");
  ApiError err;
  auto job = Complete("u", 3, &err);
  ASSERT_TRUE(job) << err.message;
  auto events = Watch(*job);
  ASSERT_FALSE(events.empty());
  for (const auto& e : events) {
    ASSERT_TRUE(e.contains("stageProgress")) << e.dump();
    EXPECT_TRUE(e["stageProgress"].is_number()) << e.dump();
    EXPECT_GE(e["stageProgress"].get<double>(), 0);
    EXPECT_LE(e["stageProgress"].get<double>(), 100);
  }
  const auto& last = events.back();
  ASSERT_EQ(last["status"], "complete") << last.dump();
  EXPECT_EQ(last["stageProgress"], 100);
  auto rec = files_->Get(last["fileInfo"]["id"]);
  ASSERT_TRUE(rec);
  std::ifstream in(rec->path, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "aaabbbcc");
  EXPECT_TRUE(last["fileInfo"]["contentHash"].is_string());
}

TEST_F(ChunkedUploadsTest, CountMismatchesAre400AndNothingIsAssembled) {
  Save("u", 0, 3, "aaa");
  Save("u", 1, 3, "bbb");
  Save("u", 2, 3, "ccc");
  ApiError err;
  EXPECT_FALSE(Complete("u", 2, &err));  // fewer than sent: chunk 2 would be dropped
  EXPECT_EQ(err.status, 400);
  EXPECT_EQ(err.code, "CHUNK_COUNT_MISMATCH");
  EXPECT_NE(err.message.find("totalChunks"), std::string::npos) << err.message;
  err = {};
  EXPECT_FALSE(Complete("u", 4, &err));
  EXPECT_EQ(err.status, 400) << err.message;
  // A chunk that disagrees about the total is refused at once.
  err = {};
  EXPECT_FALSE(chunks_->SaveChunk("u", 3, 4, "ddd", false, &err));
  EXPECT_EQ(err.status, 400);
  EXPECT_NE(err.message.find("earlier chunks"), std::string::npos) << err.message;
  EXPECT_EQ(StoredFiles(), 0);
  EXPECT_EQ(files_->size(), 0u);
}

TEST_F(ChunkedUploadsTest, MissingChunksAreNamed) {
  Save("u", 0, 5, "a");
  Save("u", 2, 5, "c");
  ApiError err;
  EXPECT_FALSE(Complete("u", 5, &err));
  EXPECT_EQ(err.status, 400);
  EXPECT_EQ(err.code, "MISSING_CHUNKS");
  EXPECT_NE(err.message.find("Chunks 1, 3, 4 of 5 are missing"), std::string::npos) << err.message;
}

TEST_F(ChunkedUploadsTest, ADuplicateOfAnotherSizeIsRefused) {
  Save("u", 0, 2, "aaaa");
  Save("u", 0, 2, "aaaa");  // a retry
  ApiError err;
  EXPECT_FALSE(chunks_->SaveChunk("u", 0, 2, "aaaaaaaa", false, &err));
  EXPECT_EQ(err.status, 400);
  EXPECT_EQ(err.code, "CHUNK_CONFLICT");
  err = {};
  EXPECT_FALSE(chunks_->SaveChunk("u", 2, 2, "x", false, &err));
  EXPECT_EQ(err.status, 400);
  EXPECT_NE(err.message.find("chunkIndex"), std::string::npos);
}

TEST_F(ChunkedUploadsTest, OriginalSizeMustMatch) {
  Save("u", 0, 1, "abc");
  CompleteRequest c;
  c.total_chunks = 1;
  c.original_size = 4;
  ApiError err;
  EXPECT_FALSE(chunks_->Complete("u", c, &err));
  EXPECT_EQ(err.code, "SIZE_MISMATCH");
  // Compressed: checked after decoding, the job fails and stores nothing.
  Save("v", 0, 1, test_util::Compress("abc"), true);
  c.original_size = 5;
  auto job = chunks_->Complete("v", c, &err);
  ASSERT_TRUE(job);
  auto events = Watch(*job);
  EXPECT_EQ(events.back()["status"], "error");
  EXPECT_NE(events.back()["error"].get<std::string>().find("originalSize"), std::string::npos);
  EXPECT_EQ(StoredFiles(), 0);
}

TEST_F(ChunkedUploadsTest, TruncatedOrTrailingGzipStoresNothing) {
  const std::string packed = test_util::Compress(std::string(100000, 'x') + "end");
  Save("t", 0, 2, packed.substr(0, packed.size() / 2));
  Save("t", 1, 2, packed.substr(packed.size() / 2, packed.size() / 2 - 3));
  ApiError err;
  auto job = Complete("t", 2, &err, "gzip");
  ASSERT_TRUE(job) << err.message;
  auto events = Watch(*job);
  EXPECT_EQ(events.back()["status"], "error");
  EXPECT_NE(events.back()["error"].get<std::string>().find("truncated"), std::string::npos)
      << events.back().dump();
  Save("g", 0, 1, test_util::Compress("abc") + "trailing garbage", true);
  job = Complete("g", 1, &err);
  ASSERT_TRUE(job);
  events = Watch(*job);
  EXPECT_EQ(events.back()["status"], "error");
  EXPECT_EQ(StoredFiles(), 0);
  EXPECT_EQ(files_->size(), 0u);
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));
}

TEST_F(ChunkedUploadsTest, ConcurrentRetriesOfOneChunkAllSucceed) {
  const std::string bytes(256 << 10, 'r');
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 24; ++t) {
    threads.emplace_back([&] {
      ApiError err;
      if (!chunks_->SaveChunk("c", 0, 1, bytes, false, &err)) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ApiError err;
  auto job = Complete("c", 1, &err);
  ASSERT_TRUE(job) << err.message;
  auto events = Watch(*job);
  ASSERT_EQ(events.back()["status"], "complete");
  EXPECT_EQ(events.back()["fileInfo"]["size"], bytes.size());
}

TEST_F(ChunkedUploadsTest, NoThreadPerJob) {
  const int before = ThreadCount();
  std::vector<std::string> jobs;
  // Each upload costs a few fsyncs: a small number shows the shape; the
  // attack test (tests/attack/uploads_attack_test.cc) runs 300.
  constexpr int kUploads = 32;
  for (int i = 0; i < kUploads; ++i) {
    const std::string id = "many-" + std::to_string(i);
    Save(id, 0, 1, "x" + std::to_string(i));
    ApiError err;
    auto job = Complete(id, 1, &err);
    ASSERT_TRUE(job) << err.message;
    jobs.push_back(*job);
    EXPECT_LE(ThreadCount(), before);  // the pool's threads exist already
  }
  for (const auto& j : jobs) EXPECT_EQ(Watch(j).back()["status"], "complete");
  EXPECT_LE(ThreadCount(), before);
  EXPECT_EQ(files_->size(), static_cast<size_t>(kUploads));
}

TEST_F(ChunkedUploadsTest, LeftoverChunkTempsAreRemovedAtStart) {
  Save("k", 0, 2, "keep");
  chunks_.reset();
  fs::path folder;
  for (const auto& e : fs::directory_iterator(dir_ / "chunks")) folder = e.path();
  std::ofstream(folder / "chunk-1.bin.tmp-123-4") << "half";
  chunks_ = std::make_unique<ChunkedUploads>(dir_.string(), files_.get(),
                                             UploadLimits{1ull << 30, 0}, 3600);
  EXPECT_FALSE(fs::exists(folder / "chunk-1.bin.tmp-123-4"));
  EXPECT_TRUE(fs::exists(folder / "chunk-0.bin"));
}

}  // namespace
}  // namespace plcscope::http
