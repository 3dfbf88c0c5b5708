#include "observe/log.h"

#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace storepilot::observe {
namespace {

// The logger renders the timestamp and level; the rest of the object comes
// from the fields, already JSON-escaped by nlohmann::json.
std::string Body(const std::string& msg, const nlohmann::json& fields) {
  nlohmann::json obj = fields.is_object() ? fields : nlohmann::json::object();
  obj["msg"] = msg;
  std::string s = obj.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return s.substr(1, s.size() - 2);  // without the braces
}

}  // namespace

void InitJsonLogging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("storepilot");
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

void LogInfo(const std::string& msg, const nlohmann::json& fields) {
  spdlog::info("{}", Body(msg, fields));
}
void LogWarn(const std::string& msg, const nlohmann::json& fields) {
  spdlog::warn("{}", Body(msg, fields));
}
void LogError(const std::string& msg, const nlohmann::json& fields) {
  spdlog::error("{}", Body(msg, fields));
}
void FlushLogs() { spdlog::default_logger()->flush(); }

}  // namespace storepilot::observe
