#include "app/commands.h"

namespace plcscope::app {

void RegisterServeCommand(CLI::App& app) {}

}  // namespace plcscope::app
