#include "gen/text_format.h"

#include "base/time_util.h"

namespace plcscope::gen {

char* TimestampWriter::Write(char* p, int64_t micros) {
  int64_t second = micros >= 0 ? micros / 1'000'000 : (micros - 999'999) / 1'000'000;
  if (second != cached_second_) {
    cached_second_ = second;
    int64_t days = second >= 0 ? second / 86400 : (second - 86399) / 86400;
    int64_t sod = second - days * 86400;
    int64_t y;
    unsigned m, d;
    base::CivilFromDays(days, &y, &m, &d);
    char* c = cached_;
    c = WritePadded(c, static_cast<uint64_t>(y), 4);
    *c++ = '-';
    c = WritePadded(c, m, 2);
    *c++ = '-';
    c = WritePadded(c, d, 2);
    *c++ = ' ';
    c = WritePadded(c, static_cast<uint64_t>(sod / 3600), 2);
    *c++ = ':';
    c = WritePadded(c, static_cast<uint64_t>(sod / 60 % 60), 2);
    *c++ = ':';
    c = WritePadded(c, static_cast<uint64_t>(sod % 60), 2);
    *c = '.';
  }
  std::memcpy(p, cached_, 20);
  return WritePadded(p + 20, static_cast<uint64_t>((micros - second * 1'000'000) / 1000), 3);
}

}  // namespace plcscope::gen
