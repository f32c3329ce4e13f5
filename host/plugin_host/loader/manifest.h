// Plugin manifests: the metadata a library carries in its ELF section
// ".prowl_manifest" (the plugins it holds), read from the file with libelf
// without loading or running the library.
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

/// One plugin of a library's manifest, validated, as the host sees it.
struct Manifest {
  std::string name;         ///< [a-z0-9][a-z0-9_-]*, unique in a registry
  std::string version;      ///< the plugin's own version text
  std::string description;  ///< one line
  prowl_kind kind = PROWL_KIND_CODEC;  ///< a kind the host knows
  uint32_t abi_major = 0;   ///< PROWL_ABI_MAJOR the library was built with
  uint32_t abi_minor = 0;   ///< PROWL_ABI_MINOR the library was built with
};

/// A library's manifest. For this host's ABI major the plugins are
/// validated (1..PROWL_MAX_PLUGINS, distinct names, known kinds). For ABI 1
/// the one plugin of its frozen layout is read, so listings can name it; for
/// any other major only the version is known and `plugins` is empty.
struct LibraryManifest {
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  std::vector<Manifest> plugins;
};

/// What the host learns about a plugin file without running it.
struct PluginImage {
  LibraryManifest manifest;
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

/// Validates the raw manifest bytes of a ".prowl_manifest" section (in host
/// byte order): the magic and ABI version first; for this host's major,
/// exactly sizeof(prowl_manifest) bytes and every listed plugin. Thread-safe.
std::optional<LibraryManifest> parse_manifest_section(std::span<const uint8_t> section, std::string* error);

/// Reads a whole plugin file (a regular file of at most kMaxPluginFileSize
/// bytes) into `image`. Returns false and a one-line reason on failure.
bool read_plugin_file(const std::filesystem::path& path, std::vector<uint8_t>& image,
                      std::string* error);

/// Reads the manifest of the plugin file at `path` (at most kMaxPluginFileSize
/// bytes) without loading it. On failure returns nullopt and a one-line reason.
std::optional<LibraryManifest> read_manifest(const std::filesystem::path& path, std::string* error);

/// The same over a file image in memory (fuzzed).
std::optional<LibraryManifest> read_manifest(std::span<const uint8_t> image, std::string* error);

/// Returns a one-line reason if the host cannot use a library built for
/// abi_major.abi_minor (major differs or minor newer), nullopt if it can.
/// The reason names the ABI the library was built for and what to do.
std::optional<std::string> check_abi(uint32_t abi_major, uint32_t abi_minor);

/// True for a name matching [a-z0-9][a-z0-9_-]* that fits PROWL_NAME_MAX.
bool is_valid_plugin_name(std::string_view name) noexcept;

/// "role", "hunt", "codec", "codon", or "unknown".
std::string_view kind_name(uint32_t kind) noexcept;

}  // namespace prowl::plugins
