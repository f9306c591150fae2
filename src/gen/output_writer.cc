#include "gen/output_writer.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace plcscope::gen {

struct OutputWriter::Zlib {
  z_stream stream{};
};

namespace {
constexpr size_t kZbufSize = 1 << 20;
}

OutputWriter::OutputWriter(Mode mode, int fd, std::string path, std::string* out)
    : mode_(mode), fd_(fd), path_(std::move(path)), out_(out) {
  buffer_[0] = std::make_unique<char[]>(kBufferSize);
  if (mode != Mode::kString) buffer_[1] = std::make_unique<char[]>(kBufferSize);
  cursor_ = buffer_[0].get();
  end_ = cursor_ + kBufferSize;
}

OutputWriter::~OutputWriter() {
  if (closed_) return;
  StopThread();
  if (zlib_) deflateEnd(&zlib_->stream);
  if (fd_ >= 0) {
    ::close(fd_);
    if (!tmp_path_.empty()) ::unlink(tmp_path_.c_str());
  }
}

base::Result<std::unique_ptr<OutputWriter>> OutputWriter::OpenFile(const std::string& path,
                                                                   bool gzip) {
  const bool to_stdout = path == "-";
  std::string tmp = to_stdout ? "" : path + ".tmp-gen";
  int fd =
      to_stdout ? ::dup(1) : ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return base::IoError("cannot create " + (to_stdout ? "stdout" : tmp) + ": " +
                         std::strerror(errno));
  }
  std::unique_ptr<OutputWriter> w(
      new OutputWriter(gzip ? Mode::kGzip : Mode::kFile, fd, path, nullptr));
  w->tmp_path_ = std::move(tmp);
  if (gzip) {
    w->zlib_ = std::make_unique<Zlib>();
    // windowBits 15 + 16: a gzip header and trailer. Level 1: the generator
    // should not be bound by compression; readers decompress any level alike.
    if (deflateInit2(&w->zlib_->stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      w->zlib_.reset();
      return base::Internal("deflateInit2 failed");
    }
    w->zbuf_ = std::make_unique<char[]>(kZbufSize);
  }
  w->writer_ = std::thread([p = w.get()] { p->WriterLoop(); });
  return w;
}

std::unique_ptr<OutputWriter> OutputWriter::ToString(std::string* out) {
  return std::unique_ptr<OutputWriter>(new OutputWriter(Mode::kString, -1, "", out));
}

void OutputWriter::Append(std::string_view s) {
  while (!s.empty()) {
    size_t n = std::min(s.size(), kBufferSize);
    char* p = Reserve(n);
    std::memcpy(p, s.data(), n);
    Commit(n);
    s.remove_prefix(n);
  }
}

void OutputWriter::WriteAll(const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd_, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      std::lock_guard<std::mutex> lock(mu_);
      if (status_.ok()) {
        status_ = base::IoError("write " + (tmp_path_.empty() ? "stdout" : tmp_path_) + ": " +
                                std::strerror(errno));
      }
      return;
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
}

void OutputWriter::Sink(const char* data, size_t n) {
  if (mode_ == Mode::kFile) {
    WriteAll(data, n);
    return;
  }
  z_stream& z = zlib_->stream;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
  z.avail_in = static_cast<uInt>(n);
  while (z.avail_in > 0) {
    z.next_out = reinterpret_cast<Bytef*>(zbuf_.get());
    z.avail_out = kZbufSize;
    deflate(&z, Z_NO_FLUSH);
    WriteAll(zbuf_.get(), kZbufSize - z.avail_out);
  }
}

void OutputWriter::WriterLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return pending_ != nullptr || stop_; });
    if (pending_ == nullptr) return;  // stop_ and nothing left
    const char* data = pending_;
    size_t n = pending_size_;
    lock.unlock();
    Sink(data, n);
    lock.lock();
    pending_ = nullptr;
    cv_.notify_all();
  }
}

void OutputWriter::WaitIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return pending_ == nullptr; });
}

void OutputWriter::StopThread() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

void OutputWriter::Flush() {
  char* start = buffer_[active_].get();
  size_t n = static_cast<size_t>(cursor_ - start);
  if (n > 0) {
    if (mode_ == Mode::kString) {
      out_->append(start, n);
    } else {
      WaitIdle();  // the other buffer is free again
      {
        std::lock_guard<std::mutex> lock(mu_);
        pending_ = start;
        pending_size_ = n;
      }
      cv_.notify_all();
      active_ ^= 1;
    }
    flushed_ += n;
  }
  cursor_ = buffer_[active_].get();
  end_ = cursor_ + kBufferSize;
}

base::Status OutputWriter::Close() {
  if (closed_) return status_;
  Flush();
  if (mode_ != Mode::kString) {
    WaitIdle();
    StopThread();
  }
  closed_ = true;
  // The writer thread has ended: status_ and the zlib stream are ours now.
  if (mode_ == Mode::kGzip) {
    z_stream& z = zlib_->stream;
    z.avail_in = 0;
    int rc = Z_OK;
    while (rc != Z_STREAM_END && status_.ok()) {
      z.next_out = reinterpret_cast<Bytef*>(zbuf_.get());
      z.avail_out = kZbufSize;
      rc = deflate(&z, Z_FINISH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
        status_ = base::Internal("deflate failed");
        break;
      }
      WriteAll(zbuf_.get(), kZbufSize - z.avail_out);
    }
    deflateEnd(&z);
  }
  if (fd_ >= 0) {
    if (::close(fd_) != 0 && status_.ok()) {
      status_ = base::IoError("close " + tmp_path_ + ": " + std::strerror(errno));
    }
    fd_ = -1;
    if (tmp_path_.empty()) return status_;  // stdout
    if (status_.ok() && std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
      status_ = base::IoError("rename " + tmp_path_ + ": " + std::strerror(errno));
    }
    if (!status_.ok()) ::unlink(tmp_path_.c_str());
  }
  return status_;
}

}  // namespace plcscope::gen
