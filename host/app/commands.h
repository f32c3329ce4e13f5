// The `prowl` subcommands. Each add_* function registers its subcommands on
// the app; their callbacks run after parsing and throw CliError on failure.
#pragma once

#include <CLI/CLI.hpp>

#include "host/app/context.h"

namespace prowl::cli {

/// `prowl run`: the headless node (event loop, plugins, signals).
void add_run_command(CLI::App& app, Context& context, int& exit_code);

/// `prowl plugins list [DIR]` and `prowl plugins check FILE`.
void add_plugins_commands(CLI::App& app, Context& context, int& exit_code);

/// `prowl keygen` and `prowl id`.
void add_identity_commands(CLI::App& app, Context& context, int& exit_code);

/// `prowl codec compress|decompress` and `prowl codon encode|decode` (stdin to stdout).
void add_codec_commands(CLI::App& app, Context& context, int& exit_code);

}  // namespace prowl::cli
