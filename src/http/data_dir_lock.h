// DataDirLock: one server per data directory. Holds an exclusive flock(2) on
// "<data_dir>/lock" (with the holder's pid written in it) for the lifetime
// of the object; the kernel drops it when the process ends, however it ends.
// Not copyable; not thread-safe (take it once, at start).
#pragma once

#include <string>

#include "base/status.h"

namespace plcscope::http {

class DataDirLock {
 public:
  DataDirLock() = default;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

  // Creates the directory when missing and takes the lock. Fails with
  // kResourceExhausted naming the directory (and the holder's pid when it
  // wrote one) if another process holds it; kIoError when it cannot be made.
  base::Status Acquire(const std::string& data_dir);

 private:
  int fd_ = -1;
};

}  // namespace plcscope::http
