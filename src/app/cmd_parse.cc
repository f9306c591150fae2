#include "app/commands.h"

namespace plcscope::app {

void RegisterParseCommands(CLI::App& app) {}

}  // namespace plcscope::app
