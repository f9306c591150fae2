// plcscope: the command-line entry point. Wiring only: each subcommand lives
// in its own cmd_*.cc and registers itself here.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "app/commands.h"

namespace {

// The exit codes of every subcommand (docs/cli.md).
constexpr const char* kExitCodes =
    "Exit codes: 0 success; 1 the command failed (I/O, parse, server start); 2 an option\n"
    "value the command rejects (a size, a gen format or timestamp) or an unexpected error;\n"
    "105 an argument failed its check (e.g. a file that does not exist); 106 a required\n"
    "argument is missing; other 1xx: another command-line error (unknown option, extra\n"
    "argument, not a number). See docs/cli.md.";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"plcscope: an oscilloscope for industrial PLC logs"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "plcscope " PLCSCOPE_VERSION);
  // Set before the subcommands are added: each one copies it into its --help.
  app.footer(kExitCodes);
  plcscope::app::RegisterParseCommands(app);  // parse, dump, info
  plcscope::app::RegisterGenCommands(app);    // gen, bench
  plcscope::app::RegisterServeCommand(app);   // serve
  plcscope::app::RegisterPushCommand(app);    // push
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "plcscope: %s\n", e.what());
    return 2;
  }
  return plcscope::app::ExitCode();
}
