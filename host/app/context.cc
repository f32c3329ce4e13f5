#include "host/app/context.h"

#include <cstdlib>

#include "host/base/log/log.h"

namespace prowl::cli {
namespace fs = std::filesystem;

void Context::init() {
  if (config_) return;
  std::string error;
  if (!flags_.config_file.empty()) {
    config_ = config::Config::load_file(flags_.config_file, &error);
    if (!config_) throw CliError(error);
  } else {
    config_.emplace();
  }
  if (!config_->apply_environment(&error)) throw CliError(error);
  if (!flags_.log_level.empty() && !config_->set_override("log.level", flags_.log_level, &error))
    throw CliError("--log-level: " + error);
  if (flags_.log_json && !config_->set_override("log.format", "json", &error))
    throw CliError("--log-json: " + error);
  const auto level = log::parse_level(config_->get_string("log.level"));
  const auto format = log::parse_format(config_->get_string("log.format"));
  if (!level || !format) throw CliError("invalid log settings");
  log::configure(*level, *format);
}

fs::path Context::data_dir() const {
  if (!flags_.data_dir.empty()) return flags_.data_dir;
  // The config's data_dir (file, then PROWL_DATA_DIR) is empty unless set.
  if (std::string dir = config_->get_string("data_dir"); !dir.empty()) return dir;
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0')
    throw CliError("cannot choose a data directory: HOME is not set (use --data DIR)");
  return fs::path(home) / ".local" / "share" / "prowl";
}

fs::path Context::default_plugin_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fs::path("lib") / "prowl" / "plugins";
  const fs::path exe_dir = exe.parent_path();
  // Run from the build tree: use the plugins the build put in one directory.
  if (fs::equivalent(exe_dir, PROWL_BUILD_EXE_DIR, ec)) return PROWL_BUILD_PLUGIN_DIR;
  return exe_dir.parent_path() / "lib" / "prowl" / "plugins";
}

std::vector<fs::path> Context::plugin_dirs() const {
  std::vector<fs::path> dirs(flags_.plugin_dirs.begin(), flags_.plugin_dirs.end());
  if (dirs.empty()) {
    for (const std::string& dir : config_->get_string_list("plugins.dirs")) dirs.emplace_back(dir);
  }
  if (dirs.empty()) dirs.push_back(default_plugin_dir());
  return dirs;
}

plugins::RegistryOptions Context::registry_options() const {
  plugins::RegistryOptions options;
  const config::Config* config = &*config_;
  options.config_lookup = [config](std::string_view key_path) -> std::optional<std::string> {
    // key_path is "plugins.<name>.<key>"; the config splits plugin and key.
    constexpr std::string_view kPrefix = "plugins.";
    if (key_path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    const std::string_view rest = key_path.substr(kPrefix.size());
    const size_t dot = rest.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    return config->plugin_value(rest.substr(0, dot), rest.substr(dot + 1));
  };
  options.log = [](std::string_view plugin, prowl_log_level level, std::string_view message) {
    static constexpr spdlog::level::level_enum kLevels[] = {
        spdlog::level::trace, spdlog::level::debug, spdlog::level::info, spdlog::level::warn,
        spdlog::level::err};
    log::plugin_logger(plugin)->log(kLevels[level], "{}", message);
  };
  return options;
}

plugins::Registry& Context::registry(bool log_refusals) {
  if (registry_) return *registry_;
  registry_ = std::make_unique<plugins::Registry>(registry_options());
  const bool explicit_dirs = !flags_.plugin_dirs.empty() || !config_->get_string_list("plugins.dirs").empty();
  auto logger = log::get_logger("plugins");
  for (const fs::path& dir : plugin_dirs()) {
    std::error_code ec;
    if (!explicit_dirs && !fs::is_directory(dir, ec)) {
      logger->debug("default plugin directory {} does not exist", dir.string());
      continue;
    }
    try {
      registry_->load_directory(dir);
    } catch (const plugins::RegistryError& e) {
      throw CliError(e.what());
    }
  }
  for (const plugins::PluginRecord& record : registry_->records()) {
    if (record.loaded) {
      logger->debug("loaded {} {} from {}", plugins::kind_name(record.manifest->kind),
                    record.manifest->name, record.file.string());
    } else if (log_refusals) {
      logger->warn("refused {}: {}", record.file.string(), record.refusal);
    }
  }
  return *registry_;
}

}  // namespace prowl::cli
