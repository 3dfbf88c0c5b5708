#include "cli/commands.h"

namespace storepilot::cli {

// TODO: the search engine's batch subcommands land with its issue.
void AddSearchCommand(CLI::App& app) {}

}  // namespace storepilot::cli
