// The config file of `plcscope serve` (docs/operations.md "Config file"):
// TOML, by default /etc/plcscope/plcscope.toml. Every key is a `serve`
// option's long name without its dashes (`port = 8080`, `store-budget =
// "20G"`, `allowed-host = ["plc-scope.plant"]`, `files = [...]`); a flag
// given on the command line wins over the file. `--print-config` shows every
// option in force and where it came from.
//
// The file is read with toml++ (Debian's libtomlplusplus-dev, the shared
// library; only serve_config.cc includes it): a real TOML parser whose
// errors name the line, where a home-made `key = value` subset would drift
// from what operators expect of a .toml file. Keys are applied to the CLI11 options themselves,
// so a value from the file goes through the same conversion and checks as
// the same flag on the command line. Functions, no state; not thread-safe
// (they change the options of `cmd`; call them from the serve callback).
#pragma once

#include <CLI/CLI.hpp>
#include <set>
#include <string>

#include "base/status.h"

namespace plcscope::app {

inline constexpr const char* kDefaultConfigPath = "/etc/plcscope/plcscope.toml";

// The options of `cmd` that are not keys (--config itself, --print-config,
// --help).
bool IsConfigKey(const CLI::Option& opt);

// Applies the TOML `text` (read from `path`, for messages) to the options of
// `cmd` that the command line did not set; `applied` receives the keys taken
// from the file. Errors (kInvalidArgument) name the file, the line and the
// key: a syntax error, an unknown key, a value of the wrong type or one the
// option rejects.
base::Status ApplyConfigText(CLI::App* cmd, const std::string& text, const std::string& path,
                             std::set<std::string>* applied);

// Reads `path` and applies it. A missing file is an error only when
// `required` (an explicit --config); `*read` tells whether it was read.
base::Status ApplyConfigFile(CLI::App* cmd, const std::string& path, bool required,
                             std::set<std::string>* applied, bool* read);

// The configuration in force as a TOML file: one `key = value` per option
// with its source ("flag", "file" or "default") in a comment. The token is
// never shown. `header` lines (each "# ...") come first.
std::string PrintConfig(const CLI::App& cmd, const std::set<std::string>& from_file,
                        const std::string& header);

}  // namespace plcscope::app
