// prowl's network commands: `ping`, `identify`, `perf` and `peer-id` for
// operators, and under `prowl tools` the developer tools `listen`,
// `streams` and `bench-connect`. Their output follows tests/interop/README.md
// ("The peer CLI contract"), so the interop harness drives prowl and
// js-libp2p with the same command lines.
#pragma once

#include <CLI/CLI.hpp>

#include "host/app/context.h"

namespace prowl::cli {

/// Registers `ping`, `identify`, `perf` and `peer-id` on `app`. Their
/// callbacks throw CliError on failure and set `exit_code` to 0 on success.
void add_network_commands(CLI::App& app, Context& context, int& exit_code);

/// Registers `tools` with `listen`, `streams` and `bench-connect` on `app`,
/// as add_network_commands.
void add_tools_commands(CLI::App& app, Context& context, int& exit_code);

}  // namespace prowl::cli
