#ifndef STOREPILOT_CLI_COMMANDS_H_
#define STOREPILOT_CLI_COMMANDS_H_

#include "CLI/CLI.hpp"

namespace storepilot::cli {

// Each Add*Command registers one top-level subcommand (and its own
// subcommands) on `app`. The callbacks they install set the process exit code
// through CLI::RuntimeError on failure.
void AddVersionCommand(CLI::App& app);
void AddServeCommand(CLI::App& app);
void AddForecastCommand(CLI::App& app);
void AddFraudCommand(CLI::App& app);
void AddSearchCommand(CLI::App& app);
void AddRecommendCommand(CLI::App& app);
void AddAutoscaleCommand(CLI::App& app);
void AddImportCommand(CLI::App& app);

}  // namespace storepilot::cli

#endif  // STOREPILOT_CLI_COMMANDS_H_
