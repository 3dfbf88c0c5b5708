#include <iostream>

#include "cli/commands.h"

namespace storepilot::cli {

void AddVersionCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("version", "Print the version and exit");
  cmd->callback([] { std::cout << "storepilot " << STOREPILOT_VERSION << "\n"; });
}

}  // namespace storepilot::cli
