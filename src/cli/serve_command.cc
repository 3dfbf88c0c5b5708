#include "cli/commands.h"

namespace storepilot::cli {

// TODO: the server lands with the foundation issue.
void AddServeCommand(CLI::App& app) {}

}  // namespace storepilot::cli
