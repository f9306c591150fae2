// plcscope: the command-line entry point. Wiring only: each subcommand lives
// in its own cmd_*.cc and registers itself here.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"plcscope: an oscilloscope for industrial PLC logs"};
  app.require_subcommand(1);
  plcscope::app::RegisterParseCommands(app);  // parse, dump, info
  plcscope::app::RegisterGenCommands(app);    // gen, bench
  plcscope::app::RegisterServeCommand(app);   // serve
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
