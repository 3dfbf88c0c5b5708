#include "cli/commands.h"

namespace storepilot::cli {

// TODO: the forecast engine's batch subcommands land with its issue.
void AddForecastCommand(CLI::App& app) {}

}  // namespace storepilot::cli
