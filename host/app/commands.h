// The `prowl` subcommands. Each add_* function registers its subcommands on
// the app; their callbacks run after parsing and throw CliError on failure.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>

#include "host/app/context.h"
#include "host/node/node_config.h"

namespace prowl::cli {

/// `prowl run`: the headless node (a node::Node from the configuration and
/// these flags, its plugins, until a signal or --exit-after).
void add_run_command(CLI::App& app, Context& context, int& exit_code);

/// The flags of `prowl run`.
struct RunOptions {
  node::RunFlags node;         ///< what the node takes from the command line
  bool publish_stdin = false;  ///< --publish-stdin: publish each stdin line to the first --subscribe topic
  double exit_after = 0;       ///< --exit-after SECONDS (0: run until a signal)
};

/// Adds the flags of `prowl run` to `run`; the returned options are filled
/// when it parses. A bad --bootstrap or --kad-protocol value fails the parse
/// (CLI::ValidationError), before anything listens.
std::shared_ptr<RunOptions> add_run_options(CLI::App& run);

/// `prowl plugins list [DIR]` and `prowl plugins check FILE`.
void add_plugins_commands(CLI::App& app, Context& context, int& exit_code);

/// `prowl keygen` and `prowl id`.
void add_identity_commands(CLI::App& app, Context& context, int& exit_code);

/// `prowl hunt list|run` (a one-shot coordinator of a compute job) and
/// `prowl reputation` (from the data directory).
void add_hunt_commands(CLI::App& app, Context& context, int& exit_code);

/// `prowl codec compress|decompress` and `prowl codon encode|decode` (stdin to stdout).
void add_codec_commands(CLI::App& app, Context& context, int& exit_code);

}  // namespace prowl::cli
