#include "base/log.h"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "base/hex_clock.h"
#include "base/utf8.h"

namespace plcscope::base {

namespace {

std::atomic<int> g_format{static_cast<int>(LogFormat::kText)};
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// syslog priorities (sd-daemon(3)): err 3, warning 4, info 6, debug 7.
int Priority(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return 7;
    case LogLevel::kInfo:
      return 6;
    case LogLevel::kWarning:
      return 4;
    case LogLevel::kError:
      return 3;
  }
  return 6;
}

void AppendJsonString(std::string* out, std::string_view raw) {
  const std::string s = IsValidUtf8(raw) ? std::string(raw) : RepairUtf8(raw);
  *out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      *out += '\\';
      *out += c;
    } else if (c == '\n') {
      *out += "\\n";
    } else if (c == '\t') {
      *out += "\\t";
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      *out += buf;
    } else {
      *out += c;
    }
  }
  *out += '"';
}

// Text values with spaces or quotes are quoted; newlines never reach a line.
void AppendTextValue(std::string* out, std::string_view v) {
  const bool quote = v.empty() || v.find_first_of(" \"=") != std::string_view::npos;
  if (quote) *out += '"';
  for (char c : v) {
    if (c == '\n' || c == '\r') {
      *out += ' ';
    } else if (c == '"' && quote) {
      *out += "\\\"";
    } else {
      *out += c;
    }
  }
  if (quote) *out += '"';
}

}  // namespace

LogField::LogField(std::string_view k, double v) : key(k), number(true) {
  char buf[40];
  if (!std::isfinite(v)) v = 0;
  std::snprintf(buf, sizeof buf, "%.3f", v);
  text = buf;
}

void SetLogFormat(LogFormat format) { g_format = static_cast<int>(format); }
void SetLogLevel(LogLevel min_level) { g_level = static_cast<int>(min_level); }

bool ParseLogFormat(std::string_view name, LogFormat* out) {
  if (name == "text") {
    *out = LogFormat::kText;
  } else if (name == "json") {
    *out = LogFormat::kJson;
  } else {
    return false;
  }
  return true;
}

bool ParseLogLevel(std::string_view name, LogLevel* out) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    if (name == LevelName(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

std::string FormatLogLine(LogFormat format, LogLevel level, int64_t now_ns,
                          std::string_view component, std::string_view message,
                          std::initializer_list<LogField> fields) {
  std::string line;
  if (format == LogFormat::kJson) {
    const time_t secs = static_cast<time_t>(now_ns / 1000000000);
    struct tm tm {};
    gmtime_r(&secs, &tm);
    char ts[64];  // room for any int the compiler cannot bound
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>((now_ns / 1000000) % 1000));
    line =
        std::string("{\"ts\":\"") + ts + "\",\"level\":\"" + LevelName(level) + "\",\"component\":";
    AppendJsonString(&line, component);
    line += ",\"msg\":";
    AppendJsonString(&line, message);
    for (const LogField& f : fields) {
      line += ',';
      AppendJsonString(&line, f.key);
      line += ':';
      if (f.number) {
        line += f.text;
      } else {
        AppendJsonString(&line, f.text);
      }
    }
    line += "}\n";
    return line;
  }
  line.append(component);
  line += ": ";
  if (level >= LogLevel::kWarning) {
    line += LevelName(level);
    line += ": ";
  }
  for (char c : message) line += (c == '\n' || c == '\r') ? ' ' : c;
  for (const LogField& f : fields) {
    line += ' ';
    line.append(f.key);
    line += '=';
    AppendTextValue(&line, f.text);
  }
  line += '\n';
  return line;
}

void Log(LogLevel level, std::string_view component, std::string_view message,
         std::initializer_list<LogField> fields) {
  if (static_cast<int>(level) < g_level.load(std::memory_order_relaxed)) return;
  const auto format = static_cast<LogFormat>(g_format.load(std::memory_order_relaxed));
  std::string line = FormatLogLine(format, level, NowNs(), component, message, fields);
  static const bool journald = std::getenv("JOURNAL_STREAM") != nullptr;
  if (journald && format == LogFormat::kText) {
    line = "<" + std::to_string(Priority(level)) + ">" + line;
  }
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace plcscope::base
