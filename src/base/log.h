// Log: the operator's log lines, on stderr (journald picks them up), as text
// or as JSON lines (docs/operations.md "Logs"). One call is one line, written
// with one write so that lines of different threads never interleave.
//
//   text: "parse 765876c86688174e: complete rows=299 bytes=26675 ms=128"
//         (warnings and errors: "component: warning: message ...")
//   json: {"ts":"2026-12-03T19:30:00.123Z","level":"info","component":"parse",
//          "msg":"complete","id":"765876c86688174e","rows":299,...}
//
// Under systemd (JOURNAL_STREAM set) text lines start with the syslog
// priority ("<4>") so that `journalctl -p warning` works. Thread-safe: the
// format and level are atomics set once at start-up; Log may run anywhere.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace plcscope::base {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };
enum class LogFormat { kText, kJson };

void SetLogFormat(LogFormat format);
void SetLogLevel(LogLevel min_level);  // lines below it are dropped
// "text" / "json", "debug" / "info" / "warning" / "error"; false otherwise.
bool ParseLogFormat(std::string_view name, LogFormat* out);
bool ParseLogLevel(std::string_view name, LogLevel* out);

// One key=value of a line: a string (quoted in JSON) or a number.
struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), text(v) {}
  LogField(std::string_view k, const std::string& v) : key(k), text(v) {}
  LogField(std::string_view k, const char* v) : key(k), text(v) {}
  LogField(std::string_view k, uint64_t v) : key(k), text(std::to_string(v)), number(true) {}
  LogField(std::string_view k, int64_t v) : key(k), text(std::to_string(v)), number(true) {}
  LogField(std::string_view k, int v) : key(k), text(std::to_string(v)), number(true) {}
  LogField(std::string_view k, double v);  // 3 significant decimals
  std::string_view key;
  std::string text;
  bool number = false;
};

// `component` names the part ("serve", "parse <id>", "http", "files",
// "stores", ...); `message` is a sentence without the fields.
void Log(LogLevel level, std::string_view component, std::string_view message,
         std::initializer_list<LogField> fields = {});

// The line Log would write (without the journald prefix); for tests.
std::string FormatLogLine(LogFormat format, LogLevel level, int64_t now_ns,
                          std::string_view component, std::string_view message,
                          std::initializer_list<LogField> fields);

}  // namespace plcscope::base
