// Plugin manifests: the metadata a plugin carries in its ELF section
// ".prowl_manifest", read from the file with libelf without loading or
// running the library.
#pragma once

#include <prowl/plugin.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prowl::plugins {

/// A validated plugin manifest, as the host sees it.
struct Manifest {
  std::string name;         ///< [a-z0-9][a-z0-9_-]*, unique in a registry
  std::string version;      ///< the plugin's own version text
  std::string description;  ///< one line
  prowl_kind kind = PROWL_KIND_CODEC;  ///< a kind the host knows
  uint32_t abi_major = 0;   ///< PROWL_ABI_MAJOR the plugin was built with
  uint32_t abi_minor = 0;   ///< PROWL_ABI_MINOR the plugin was built with
};

/// What the host learns about a plugin file without running it.
struct PluginImage {
  Manifest manifest;
  bool exports_entry = false;  ///< the dynamic symbol table defines prowl_plugin_entry
};

/// Largest plugin file the reader accepts, in bytes.
inline constexpr size_t kMaxPluginFileSize = size_t{256} << 20;

/// Parses an in-memory ELF shared library: checks it is an ELF shared object
/// for this host's machine, class and byte order, finds ".prowl_manifest",
/// validates the manifest (magic, NUL-terminated texts, name charset, known
/// kind) and looks up the entry symbol. Runs no code from the image.
/// On failure returns nullopt and, if error is non-null, a one-line reason.
/// Does not check the ABI version (see check_abi). Thread-safe.
std::optional<PluginImage> inspect_plugin_image(std::span<const uint8_t> image, std::string* error);

/// Validates the raw manifest bytes of a ".prowl_manifest" section (exactly
/// sizeof(prowl_manifest), in host byte order). Thread-safe.
std::optional<Manifest> parse_manifest_section(std::span<const uint8_t> section, std::string* error);

/// Reads a whole plugin file (a regular file of at most kMaxPluginFileSize
/// bytes) into `image`. Returns false and a one-line reason on failure.
bool read_plugin_file(const std::filesystem::path& path, std::vector<uint8_t>& image,
                      std::string* error);

/// Reads the manifest of the plugin file at `path` (at most kMaxPluginFileSize
/// bytes) without loading it. On failure returns nullopt and a one-line reason.
std::optional<Manifest> read_manifest(const std::filesystem::path& path, std::string* error);

/// The same over a file image in memory (fuzzed).
std::optional<Manifest> read_manifest(std::span<const uint8_t> image, std::string* error);

/// Returns a one-line reason if the host cannot use a plugin built for
/// abi_major.abi_minor (major differs or minor newer), nullopt if it can.
std::optional<std::string> check_abi(uint32_t abi_major, uint32_t abi_minor);

/// True for a name matching [a-z0-9][a-z0-9_-]* that fits PROWL_NAME_MAX.
bool is_valid_plugin_name(std::string_view name) noexcept;

/// "role", "hunt", "codec", "codon", or "unknown".
std::string_view kind_name(uint32_t kind) noexcept;

}  // namespace prowl::plugins
