// Subcommand registration for the plcscope CLI. Each Register* adds its
// subcommands to the app with a callback that sets the process exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace plcscope::app {

void RegisterParseCommands(CLI::App& app);  // cmd_parse.cc: parse, dump, info
void RegisterGenCommands(CLI::App& app);    // cmd_gen.cc: gen, bench
void RegisterServeCommand(CLI::App& app);   // cmd_serve.cc: serve
void RegisterPushCommand(CLI::App& app);    // cmd_push.cc: push

void SetExitCode(int code);
int ExitCode();

}  // namespace plcscope::app
