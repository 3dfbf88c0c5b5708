#include "cli/commands.h"

namespace storepilot::cli {

// TODO: the recommend engine's batch subcommands land with its issue.
void AddRecommendCommand(CLI::App& app) {}

}  // namespace storepilot::cli
