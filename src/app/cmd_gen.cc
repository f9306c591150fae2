#include "app/commands.h"

namespace plcscope::app {

void RegisterGenCommands(CLI::App& app) {}

}  // namespace plcscope::app
