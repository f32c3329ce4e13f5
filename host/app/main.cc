// prowl: the headless node host and its operator commands.
#include <cstdio>
#include <exception>

#include "host/app/commands.h"
#include "host/app/dht_commands.h"
#include "host/app/network_commands.h"
#include "host/app/pubsub_commands.h"

int main(int argc, char** argv) {
  using namespace prowl::cli;
  Context context;
  int exit_code = 0;
  CLI::App app{"prowl: a headless libp2p node host whose behaviour comes from plugins", "prowl"};
  app.set_version_flag("--version", PROWL_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  CommonFlags& flags = context.flags();
  app.add_option("--config", flags.config_file, "JSON configuration file")->check(CLI::ExistingFile);
  app.add_option("--data", flags.data_dir,
                 "data directory (default: config data_dir or $PROWL_DATA_DIR, else ~/.local/share/prowl)");
  app.add_option("--plugins", flags.plugin_dirs,
                 "plugin directory, repeatable (default: config plugins.dirs, else the "
                 "installation's lib/prowl/plugins)");
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn or error");
  app.add_flag("--log-json", flags.log_json, "write logs as JSON lines");

  add_run_command(app, context, exit_code);
  add_plugins_commands(app, context, exit_code);
  add_identity_commands(app, context, exit_code);
  add_codec_commands(app, context, exit_code);
  add_network_commands(app, context, exit_code);
  add_dht_commands(app, context, exit_code);
  add_pubsub_commands(app, context, exit_code);
  add_hunt_commands(app, context, exit_code);
  add_tools_commands(app, context, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "prowl: error: %s\n", e.what());
    return 1;
  }
  return exit_code;
}
