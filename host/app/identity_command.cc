#include <cstdio>
#include <memory>

#include "host/app/commands.h"
#include "host/base/identity/key_store.h"
#include "host/base/identity/peer_id.h"

namespace prowl::cli {
namespace fs = std::filesystem;

namespace {

/// Loads (or, if create, makes) the identity, turning its errors into CliError.
identity::KeyPair identity_in(const fs::path& data_dir) {
  try {
    return identity::load_or_create_identity(data_dir);
  } catch (const std::runtime_error& e) {
    throw CliError(e.what());
  }
}

void print_peer_id(const identity::KeyPair& key) {
  std::printf("%s\n", identity::PeerId::from_public_key(key.public_key()).to_string().c_str());
}

}  // namespace

void add_identity_commands(CLI::App& app, Context& context, int& exit_code) {
  CLI::App* keygen = app.add_subcommand("keygen", "Create a new node identity in the data directory and print its peer id");
  auto force = std::make_shared<bool>(false);
  keygen->add_flag("--force", *force, "replace an existing identity (its peer id is lost)");
  keygen->callback([&context, &exit_code, force] {
    context.init();
    const fs::path dir = context.data_dir();
    const fs::path file = dir / identity::kIdentityFileName;
    std::error_code ec;
    if (fs::exists(fs::symlink_status(file, ec))) {
      if (!*force)
        throw CliError("an identity already exists at " + file.string() +
                       "; use --force to replace it");
      if (!fs::remove(file, ec) || ec)
        throw CliError("cannot remove " + file.string() + ": " + ec.message());
    }
    print_peer_id(identity_in(dir));
    exit_code = 0;
  });

  CLI::App* id = app.add_subcommand("id", "Print the peer id of the identity in the data directory");
  id->callback([&context, &exit_code] {
    context.init();
    const fs::path dir = context.data_dir();
    const fs::path file = dir / identity::kIdentityFileName;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(file, ec)))
      throw CliError("no identity at " + file.string() + "; run `prowl keygen` first");
    print_peer_id(identity_in(dir));
    exit_code = 0;
  });
}

}  // namespace prowl::cli
