// The storepilot binary: parses the command line and hands over to the
// subcommand; everything else lives in the module libraries.
#include "CLI/CLI.hpp"
#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "storepilot: recommendations, search, fraud scoring, forecasting and "
      "autoscaling for e-commerce platforms"};
  app.require_subcommand(1);
  storepilot::cli::AddVersionCommand(app);
  storepilot::cli::AddServeCommand(app);
  storepilot::cli::AddForecastCommand(app);
  storepilot::cli::AddFraudCommand(app);
  storepilot::cli::AddSearchCommand(app);
  storepilot::cli::AddRecommendCommand(app);
  storepilot::cli::AddAutoscaleCommand(app);
  storepilot::cli::AddImportCommand(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
