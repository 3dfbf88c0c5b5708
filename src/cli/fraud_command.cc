#include "cli/commands.h"

namespace storepilot::cli {

// TODO: the fraud engine's batch subcommands land with its issue.
void AddFraudCommand(CLI::App& app) {}

}  // namespace storepilot::cli
