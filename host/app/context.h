// The state every `prowl` subcommand shares: the common flags, and what they
// resolve to (configuration, data directory, plugin directories, logging,
// the plugin registry).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/base/config/config.h"
#include "host/plugin_host/loader/registry.h"

namespace prowl::cli {

/// A command failure: main prints "prowl: error: <what>" and exits 1.
class CliError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The common flags, as CLI11 fills them.
struct CommonFlags {
  std::string config_file;                ///< --config
  std::string data_dir;                   ///< --data
  std::vector<std::string> plugin_dirs;   ///< --plugins (repeatable)
  std::string log_level;                  ///< --log-level
  bool log_json = false;                  ///< --log-json
};

/// Resolves the common flags on first use. Not thread-safe; used by the
/// command running on the main thread.
class Context {
 public:
  CommonFlags& flags() noexcept { return flags_; }

  /// Loads --config (if any), then PROWL_* variables, then the log flags;
  /// sets up logging. Throws CliError with the config error (file:line:col).
  /// Runs once: later calls return at once.
  void init();

  /// REQUIRES: init() ran.
  const config::Config& config() const { return *config_; }

  /// --data, else the config's data_dir (file or $PROWL_DATA_DIR) when set,
  /// else ~/.local/share/prowl.
  std::filesystem::path data_dir() const;

  /// The --plugins directories if given, else the config's plugins.dirs,
  /// else the default (see default_plugin_dir()).
  std::vector<std::filesystem::path> plugin_dirs() const;

  /// `plugins` next to the install (<prefix>/lib/prowl/plugins), or the
  /// build tree's plugins directory when running from the build tree.
  static std::filesystem::path default_plugin_dir();

  /// A registry with every plugin directory loaded (a missing directory
  /// named on the command line is an error; a missing default is skipped).
  /// Refusals are logged as warnings when log_refusals.
  plugins::Registry& registry(bool log_refusals = true);

  /// Registry options wired to the config (plugin settings) and the log.
  plugins::RegistryOptions registry_options() const;

 private:
  CommonFlags flags_;
  std::optional<config::Config> config_;
  std::unique_ptr<plugins::Registry> registry_;
};

}  // namespace prowl::cli
